/**
 * bun 1.4: `scratch init` adds a root `postinstall` that bun runs after every `bun install`,
 * `bun add` and `bun remove`; `bun remove` then sweeps. The script never fails an install where
 * the package is absent.
 */
import fs from 'node:fs'
import path from 'node:path'
import { BUN_GC_SCRIPT } from '../../src/integration/bun'
import { createSandbox, expectSuccess, hasSpace, type RunResult, type Sandbox } from './harness'
import { useRegistry } from './harness/jest'
import { pointToolsAt, runCli, runTool, tool, writeFile } from './harness/managers'

jest.setTimeout(180_000)

const e2e = useRegistry()

function bun(sandbox: Sandbox, cwd: string, ...args: string[]): Promise<RunResult> {
  return runTool(sandbox, tool('bun'), args, { cwd })
}

function setUp(manifest: Record<string, unknown> = {}): { sandbox: Sandbox; dir: string } {
  const sandbox = createSandbox()
  pointToolsAt(sandbox, e2e.registry)
  const dir = path.join(sandbox.dir, 'project')
  writeFile(dir, 'package.json', { name: 'project', version: '1.0.0', private: true, packageManager: `bun@${tool('bun').version}`, ...manifest })
  writeFile(dir, '.npmrc', `registry=${e2e.registry.url}\n`)
  return { sandbox, dir }
}

test('init adds postinstall; bun add + use (under bun) + bun remove sweeps the removed package, keeps the other', async () => {
  const { sandbox, dir } = setUp()
  const init = expectSuccess(await runCli(sandbox, ['init'], { cwd: dir }))
  expect(init.stdout).toContain('bun (detected from packageManager field')
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts).toEqual({ postinstall: BUN_GC_SCRIPT })

  expectSuccess(await bun(sandbox, dir, 'add', '--dev', 'pnpm-plugin-scratch'))
  expectSuccess(await bun(sandbox, dir, 'add', 'fixture-a', 'fixture-b'))
  expect(fs.readFileSync(path.join(dir, 'bun.lock'), 'utf8')).toContain('fixture-a@1.0.0')
  expectSuccess(await bun(sandbox, dir, '-e', "require('fixture-a'); require('fixture-b')"))
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([true, true])

  expectSuccess(await bun(sandbox, dir, 'remove', 'fixture-a'))
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([false, true])
  // A no-change install runs the script too, and keeps what is used.
  expectSuccess(await bun(sandbox, dir, 'install'))
  expect(hasSpace(sandbox, 'fixture-b')).toBe(true)
  expectSuccess(await bun(sandbox, dir, 'remove', 'fixture-b'))
  expect(hasSpace(sandbox, 'fixture-b')).toBe(false)
})

test('the script never fails bun: before anything is installed, under --production with the package a devDependency, after bun remove pnpm-plugin-scratch', async () => {
  const { sandbox, dir } = setUp()
  expectSuccess(await runCli(sandbox, ['init'], { cwd: dir }))
  const first = expectSuccess(await bun(sandbox, dir, 'install'))
  expect(first.output).not.toMatch(/error/i)
  expectSuccess(await bun(sandbox, dir, 'add', '--dev', 'pnpm-plugin-scratch'))
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true })
  expectSuccess(await bun(sandbox, dir, 'install', '--production'))
  expect(fs.existsSync(path.join(dir, 'node_modules', 'pnpm-plugin-scratch'))).toBe(false)
  expectSuccess(await bun(sandbox, dir, 'install'))
  const removed = expectSuccess(await bun(sandbox, dir, 'remove', 'pnpm-plugin-scratch'))
  expect(removed.output).not.toMatch(/error/i)
  expect(fs.existsSync(path.join(dir, 'node_modules', 'pnpm-plugin-scratch'))).toBe(false)
})
