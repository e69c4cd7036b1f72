/**
 * Adoption with real pnpm 10, 11 and 12, exactly as the README's set-up section says for the
 * devDependency route: `pnpm add --save-dev pnpm-plugin-scratch`, `pnpm scratch init` (which
 * writes the `.pnpmfile.cjs` bridge), `pnpm remove` of a library sweeps, a fresh clone's first
 * `pnpm install --frozen-lockfile` passes before node_modules exists, `pnpm scratch gc` works,
 * `pnpm remove pnpm-plugin-scratch` and an install after it pass, and `--undo` unwires it.
 * One project per pnpm version, each install shared by the steps that follow it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { readLastSweep } from '../../src/gc/last-sweep'
import { BRIDGE_TEXT } from '../../src/integration/pnpm-bridge'
import {
  createProject, createSandbox, expectSuccess, hasSpace, pluginLines, pnpm10, pnpm11, pnpm12, requireIn, run, runPm, warningLines,
  type PackageManager, type Project,
} from './harness'
import { useRegistry } from './harness/jest'

jest.setTimeout(300_000)

const e2e = useRegistry()

const manifest = (dir: string): { scripts?: Record<string, string> } => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))

/** `pnpm scratch …` in the project (the bin pnpm links for a direct dependency). */
const scratch = (project: Project, args: string[]) => run(project.sandbox, project.pm.bin, ['scratch', ...args], { cwd: project.dir })

/** The JSON document that ends pnpm's output (pnpm may print a verifying install first). */
function lastJson(stdout: string): unknown {
  return JSON.parse(stdout.slice(stdout.indexOf('{')))
}

/** A clone of the project as git would give it: the tracked files, no node_modules. */
function freshClone(project: Project, name: string): Project {
  const dir = path.join(project.sandbox.dir, name)
  fs.mkdirSync(dir)
  for (const file of ['package.json', 'pnpm-lock.yaml', '.pnpmfile.cjs', '.npmrc', 'pnpm-workspace.yaml']) {
    if (fs.existsSync(path.join(project.dir, file))) fs.copyFileSync(path.join(project.dir, file), path.join(dir, file))
  }
  return { ...project, dir }
}

describe.each([
  { label: 'pnpm 10', tool: pnpm10 },
  { label: 'pnpm 11', tool: pnpm11 },
  { label: 'pnpm 12', tool: pnpm12 },
])('$label', ({ tool }: { tool: () => PackageManager }) => {
  test('README set-up (devDependency + scratch init): remove sweeps; a fresh clone installs; pnpm scratch gc; removing the package; --undo', async () => {
    const sandbox = createSandbox()
    const project = await createProject({ sandbox, pm: tool(), registry: e2e.registry, route: 'none' })
    expectSuccess(await runPm(project, ['add', '--save-dev', 'pnpm-plugin-scratch']))
    const init = expectSuccess(await scratch(project, ['init']))
    expect(init.stdout).toContain('pnpm (detected from pnpm-lock.yaml)')
    expect(init.stdout).toContain('.pnpmfile.cjs: created')
    expect(init.stdout).toContain('pnpm add --config pnpm-plugin-scratch')
    expect(init.stderr).toBe('')
    expect(expectSuccess(await scratch(project, ['init'])).stdout).toContain('Nothing to change')
    expect(fs.readFileSync(path.join(project.dir, '.pnpmfile.cjs'), 'utf8')).toBe(BRIDGE_TEXT)
    // Never a script: pnpm 10 runs no root postuninstall on remove, and none is needed.
    expect(manifest(project.dir).scripts).toBeUndefined()

    expectSuccess(await runPm(project, ['add', 'fixture-a', 'fixture-b']))
    await requireIn(project, 'fixture-a')
    await requireIn(project, 'fixture-b')
    const removed = expectSuccess(await runPm(project, ['remove', 'fixture-a']))
    expect(warningLines(removed)).toEqual([])
    expect(pluginLines(removed).join('\n')).toMatch(/removed 1 scratch space .*fixture-a/)
    expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([false, true])
    expect(readLastSweep(sandbox.store)).toMatchObject({ project: project.dir, deleted: 1, warnings: [] })

    // A fresh clone: the first install runs before node_modules (and the plugin) exists.
    const clone = freshClone(project, 'clone')
    expectSuccess(await runPm(clone, ['install', '--frozen-lockfile']))
    const gc = expectSuccess(await scratch(clone, ['gc', '--dry-run', '--json']))
    expect(lastJson(gc.stdout)).toMatchObject({ dryRun: true })

    // Removing the package itself, then installing something else: both pass, the bridge stands aside.
    expectSuccess(await runPm(project, ['remove', 'pnpm-plugin-scratch']))
    expectSuccess(await runPm(project, ['add', 'fixture-c']))
    expect(fs.existsSync(path.join(project.dir, 'node_modules', 'fixture-c', 'package.json'))).toBe(true)

    // --undo in the clone (which still has the package): the bridge goes, installs still pass.
    const undo = expectSuccess(await scratch(clone, ['init', '--undo']))
    expect(undo.stdout).toContain('.pnpmfile.cjs: removed')
    expect(fs.existsSync(path.join(clone.dir, '.pnpmfile.cjs'))).toBe(false)
    expectSuccess(await runPm(clone, ['install']))
  })

  test('a workspace: init at the root; remove --filter in a member sweeps what no member uses any more', async () => {
    const sandbox = createSandbox()
    const ws = await createProject({ sandbox, pm: tool(), registry: e2e.registry, route: 'none', name: 'monorepo', members: ['packages/app1', 'packages/app2'] })
    expectSuccess(await runPm(ws, ['add', '--save-dev', '--workspace-root', 'pnpm-plugin-scratch']))
    expect(expectSuccess(await scratch(ws, ['init'])).stdout).toContain('.pnpmfile.cjs: created')
    expectSuccess(await runPm(ws, ['add', 'fixture-a', 'fixture-b', '--filter', 'app1']))
    const app1 = path.join(ws.dir, 'packages', 'app1')
    await requireIn(ws, 'fixture-a', { cwd: app1 })
    await requireIn(ws, 'fixture-b', { cwd: app1 })
    expectSuccess(await runPm(ws, ['remove', 'fixture-a', '--filter', 'app1']))
    expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([false, true])
  })

  test('config-dependency route: init (through pnpm dlx) writes nothing and says what to run instead of `pnpm scratch gc`; that runs', async () => {
    const sandbox = createSandbox()
    const project = await createProject({ sandbox, pm: tool(), registry: e2e.registry, route: 'config' })
    const dlx = (args: string[]) => run(sandbox, project.pm.bin, ['dlx', 'pnpm-plugin-scratch', ...args], { cwd: project.dir })
    const init = expectSuccess(await dlx(['init']))
    expect(init.stdout).toContain('Nothing to change: pnpm-plugin-scratch is a config dependency')
    expect(init.stderr).toContain('pnpm dlx pnpm-plugin-scratch gc')
    expect(fs.existsSync(path.join(project.dir, '.pnpmfile.cjs'))).toBe(false)
    expect(lastJson(expectSuccess(await dlx(['gc', '--dry-run', '--json'])).stdout)).toMatchObject({ dryRun: true })
  })
})

test('control: the r1 README route, a pnpmfile setting pointing into node_modules, fails a fresh clone\'s first install (pnpm 12)', async () => {
  const sandbox = createSandbox()
  const project = await createProject({ sandbox, pm: pnpm12(), registry: e2e.registry, route: 'none' })
  fs.appendFileSync(path.join(project.dir, 'pnpm-workspace.yaml'), 'pnpmfile: node_modules/pnpm-plugin-scratch/pnpmfile.cjs\n')
  const first = await runPm(project, ['add', '--save-dev', 'pnpm-plugin-scratch'])
  expect(first.code).not.toBe(0)
  expect(first.output).toMatch(/pnpmfile.*not found|not found.*pnpmfile/i)
})

test('control: the r1 postuninstall fails `pnpm remove pnpm-plugin-scratch` (pnpm 12); init removes it, and then it passes', async () => {
  const sandbox = createSandbox()
  const project = await createProject({ sandbox, pm: pnpm12(), registry: e2e.registry, route: 'none', manifest: { scripts: { postuninstall: 'scratch gc --project .' } } })
  expectSuccess(await runPm(project, ['add', '--save-dev', 'pnpm-plugin-scratch']))
  const failing = await runPm(project, ['remove', 'pnpm-plugin-scratch'])
  expect({ code: failing.code, output: failing.output }).toMatchObject({ code: 1, output: expect.stringMatching(/LIFECYCLE_SCRIPT_FAILED|scratch: not found/) })
  expectSuccess(await runPm(project, ['install', '--ignore-scripts']))
  const init = expectSuccess(await scratch(project, ['init']))
  expect(init.stdout).toContain('scripts.postuninstall: "scratch gc --project ." -> (none)')
  expectSuccess(await runPm(project, ['remove', 'pnpm-plugin-scratch']))
})
