/**
 * yarn berry 4: `scratch init` writes the yarn plugin into `.yarn/plugins/` and lists it in
 * `.yarnrc.yml`; its `afterAllInstalled` hook then sweeps after `yarn remove`, with Plug'n'Play
 * and with node_modules, and after `yarn workspace <member> remove` in a workspace.
 */
import fs from 'node:fs'
import path from 'node:path'
import { createSandbox, expectSuccess, hasSpace, repoRoot, warningLines, type RunResult, type Sandbox } from './harness'
import { unwire } from '../../src/integration/yarn-berry'
import { composeYarnPlugin } from '../../src/integration/yarn-plugin-file'
import { useRegistry } from './harness/jest'
import { pointToolsAt, runCli, runTool, tool, writeFile } from './harness/managers'

jest.setTimeout(240_000)

const e2e = useRegistry()

function yarn(sandbox: Sandbox, cwd: string, ...args: string[]): Promise<RunResult> {
  return runTool(sandbox, tool('yarn4'), args, { cwd })
}

/** Uses a fixture library the way an app would: `yarn node` loads the PnP runtime where there is one. */
async function use(sandbox: Sandbox, cwd: string, name: string): Promise<void> {
  expectSuccess(await yarn(sandbox, cwd, 'node', '-e', `require(${JSON.stringify(name)})`))
}

function setUp(linker: 'pnp' | 'node-modules', manifest: Record<string, unknown> = {}): { sandbox: Sandbox; dir: string } {
  const sandbox = createSandbox()
  pointToolsAt(sandbox, e2e.registry)
  const dir = path.join(sandbox.dir, 'project')
  writeFile(dir, 'package.json', { name: 'project', version: '1.0.0', private: true, packageManager: `yarn@${tool('yarn4').version}`, ...manifest })
  writeFile(dir, '.yarnrc.yml', `# the team's settings\nnodeLinker: ${linker}\n`)
  return { sandbox, dir }
}

test.each(['pnp', 'node-modules'] as const)('%s linker: init wires the plugin, yarn add + use + yarn remove sweeps; others kept; unwired, yarn runs without it', async (linker) => {
  const { sandbox, dir } = setUp(linker)
  const init = expectSuccess(await runCli(sandbox, ['init'], { cwd: dir }))
  expect(init.stdout).toContain('yarn (detected from packageManager field')
  expect(init.stdout).toContain('.yarnrc.yml plugins')
  expect(fs.readFileSync(path.join(dir, '.yarnrc.yml'), 'utf8')).toMatch(/^# the team's settings\nnodeLinker: .*\nplugins:\n {2}- path: \.yarn\/plugins\/pnpm-plugin-scratch\.cjs\n$/)

  const add = expectSuccess(await yarn(sandbox, dir, 'add', 'fixture-a', 'fixture-b'))
  expect(warningLines(add)).toEqual([])
  await use(sandbox, dir, 'fixture-a')
  await use(sandbox, dir, 'fixture-b')
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([true, true])

  const remove = expectSuccess(await yarn(sandbox, dir, 'remove', 'fixture-a'))
  expect(warningLines(remove)).toEqual([])
  expect(remove.output).toContain('pnpm-plugin-scratch: removed 1 scratch space')
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([false, true])

  // A no-change install runs the hook too, and keeps what is used.
  expectSuccess(await yarn(sandbox, dir, 'install'))
  expect(hasSpace(sandbox, 'fixture-b')).toBe(true)
  expectSuccess(await yarn(sandbox, dir, 'remove', 'fixture-b'))
  expect(hasSpace(sandbox, 'fixture-b')).toBe(false)

  expect(unwire(dir).length).toBe(2)
  expect(fs.readFileSync(path.join(dir, '.yarnrc.yml'), 'utf8')).toBe(`# the team's settings\nnodeLinker: ${linker}\n`)
  const after = expectSuccess(await yarn(sandbox, dir, 'add', 'fixture-a'))
  expect(after.output).not.toContain('pnpm-plugin-scratch:')
})

test('PnP, the package as a devDependency: `yarn scratch init` (run from yarn\'s zip cache) wires the same plugin; `yarn scratch gc` works', async () => {
  const { sandbox, dir } = setUp('pnp')
  expectSuccess(await yarn(sandbox, dir, 'add', '--dev', 'pnpm-plugin-scratch'))
  const init = expectSuccess(await yarn(sandbox, dir, 'scratch', 'init'))
  expect(init.stdout).toContain('.yarnrc.yml plugins')
  // Composed from the package installed in yarn's zip cache, byte for byte what this build composes.
  expect(fs.readFileSync(path.join(dir, '.yarn', 'plugins', 'pnpm-plugin-scratch.cjs'), 'utf8')).toBe(composeYarnPlugin({ distDir: path.join(repoRoot, 'dist') }).text)
  expectSuccess(await yarn(sandbox, dir, 'add', 'fixture-a'))
  await use(sandbox, dir, 'fixture-a')
  expectSuccess(await yarn(sandbox, dir, 'remove', 'fixture-a'))
  expect(hasSpace(sandbox, 'fixture-a')).toBe(false)
  const gc = expectSuccess(await yarn(sandbox, dir, 'scratch', 'gc', '--dry-run', '--json'))
  expect(JSON.parse(gc.stdout)).toMatchObject({ dryRun: true, spaces: [] })
})

test('fresh clone: a wired project with a lockfile and no install state installs, and the plugin sweeps on its first remove', async () => {
  const { sandbox, dir } = setUp('pnp')
  expectSuccess(await runCli(sandbox, ['init'], { cwd: dir }))
  expectSuccess(await yarn(sandbox, dir, 'add', 'fixture-a', 'fixture-b'))
  // What a clone has: the committed files only (no .pnp.cjs, no install state, no cache).
  for (const entry of ['.pnp.cjs', '.pnp.loader.mjs', '.yarn/install-state.gz', '.yarn/cache', 'node_modules']) {
    fs.rmSync(path.join(dir, entry), { recursive: true, force: true })
  }
  fs.rmSync(path.join(sandbox.env.HOME as string, '.yarn'), { recursive: true, force: true })
  const install = expectSuccess(await yarn(sandbox, dir, 'install'))
  expect(warningLines(install)).toEqual([])
  await use(sandbox, dir, 'fixture-a')
  await use(sandbox, dir, 'fixture-b')
  expectSuccess(await yarn(sandbox, dir, 'remove', 'fixture-a'))
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([false, true])
})

test('workspace: `yarn workspace app remove` sweeps (the plugin sees the whole project); the other member\'s package is kept', async () => {
  const { sandbox, dir } = setUp('node-modules', { workspaces: ['packages/*'] })
  writeFile(dir, 'packages/app/package.json', { name: 'app', version: '1.0.0', private: true })
  writeFile(dir, 'packages/tool/package.json', { name: 'tool', version: '1.0.0', private: true })
  expectSuccess(await runCli(sandbox, ['init'], { cwd: dir }))
  expectSuccess(await yarn(sandbox, dir, 'workspace', 'app', 'add', 'fixture-a'))
  expectSuccess(await yarn(sandbox, dir, 'workspace', 'tool', 'add', 'fixture-b'))
  await use(sandbox, path.join(dir, 'packages', 'app'), 'fixture-a')
  await use(sandbox, path.join(dir, 'packages', 'tool'), 'fixture-b')
  const remove = expectSuccess(await yarn(sandbox, dir, 'workspace', 'app', 'remove', 'fixture-a'))
  expect(warningLines(remove)).toEqual([])
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([false, true])
})

test('SCRATCHSPACE_AUTO_GC=0: yarn remove sweeps nothing, and a plugin whose store is unusable warns in one line without failing yarn', async () => {
  const { sandbox, dir } = setUp('node-modules')
  expectSuccess(await runCli(sandbox, ['init'], { cwd: dir }))
  expectSuccess(await yarn(sandbox, dir, 'add', 'fixture-a'))
  await use(sandbox, dir, 'fixture-a')
  const off = expectSuccess(await runTool(sandbox, tool('yarn4'), ['remove', 'fixture-a'], { cwd: dir, env: { SCRATCHSPACE_AUTO_GC: '0' } }))
  expect(warningLines(off)).toEqual([])
  expect(hasSpace(sandbox, 'fixture-a')).toBe(true)
  // A store root that is a file: every store operation fails; yarn must not.
  const blocked = path.join(sandbox.dir, 'not-a-dir')
  fs.writeFileSync(blocked, '')
  const add = expectSuccess(await runTool(sandbox, tool('yarn4'), ['add', 'fixture-b'], { cwd: dir, env: { SCRATCHSPACE_DIR: path.join(blocked, 'store') } }))
  expect(warningLines(add)).toHaveLength(1)
})
