/**
 * yarn 1.22: no plugins, no script on `yarn remove`. `scratch init` changes nothing and names the
 * command to run instead; that command (`npx pnpm-plugin-scratch gc`) then sweeps.
 */
import fs from 'node:fs'
import path from 'node:path'
import { YARN_CLASSIC_GC_COMMAND } from '../../src/integration/yarn-classic'
import { createSandbox, expectSuccess, hasSpace, run, runNode, type RunResult, type Sandbox } from './harness'
import { useRegistry } from './harness/jest'
import { pointToolsAt, runCli, runTool, tool, writeFile } from './harness/managers'

jest.setTimeout(180_000)

const e2e = useRegistry()

function yarn(sandbox: Sandbox, cwd: string, ...args: string[]): Promise<RunResult> {
  return runTool(sandbox, tool('yarn1'), [...args, '--non-interactive', '--no-progress'], { cwd })
}

test('init explains and changes nothing; yarn remove sweeps nothing; the command init names sweeps the removed package only', async () => {
  const sandbox = createSandbox()
  pointToolsAt(sandbox, e2e.registry)
  const dir = path.join(sandbox.dir, 'project')
  writeFile(dir, 'package.json', { name: 'project', version: '1.0.0', private: true })
  expectSuccess(await yarn(sandbox, dir, 'add', 'fixture-a', 'fixture-b'))
  expect(fs.readFileSync(path.join(dir, 'yarn.lock'), 'utf8')).toContain('# yarn lockfile v1')
  const before = fs.readFileSync(path.join(dir, 'package.json'), 'utf8')
  const init = expectSuccess(await runCli(sandbox, ['init'], { cwd: dir }))
  expect(init.stdout).toContain('yarn (detected from yarn.lock)')
  expect(init.stdout).toContain(YARN_CLASSIC_GC_COMMAND)
  expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(before)

  for (const name of ['fixture-a', 'fixture-b']) expectSuccess(await runNode(sandbox, `require(${JSON.stringify(name)})`, { cwd: dir }))
  expectSuccess(await yarn(sandbox, dir, 'remove', 'fixture-a'))
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([true, true])
  const [bin, ...args] = YARN_CLASSIC_GC_COMMAND.split(' ')
  expectSuccess(await run(sandbox, bin, args, { cwd: dir }))
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([false, true])
})
