/**
 * The pnpm plugin with real pnpm binaries: pnpm 10.34.9 and 11.28.6 (hooks in-process) and
 * pnpm 12.21.0 (hooks in a node worker), each loading the plugin through the `pnpmfile` setting
 * and as a config dependency from a local registry.
 */
import fs from 'node:fs'
import path from 'node:path'
import { trashDir } from '../../src/runtime/layout'
import {
  createProject, createSandbox, expectSuccess, hasSpace, pluginLines, pnpm10, pnpm11, pnpm12, requireIn, runPm, spacePath, warningLines, type PackageManager,
  type PluginRoute,
} from './harness'
import { useRegistry } from './harness/jest'

jest.setTimeout(180_000)

const e2e = useRegistry()

const matrix: Array<{ label: string; tool: () => PackageManager; route: PluginRoute }> = [
  { label: 'pnpm 10', tool: pnpm10, route: 'pnpmfile' },
  { label: 'pnpm 10', tool: pnpm10, route: 'config' },
  { label: 'pnpm 11', tool: pnpm11, route: 'pnpmfile' },
  { label: 'pnpm 11', tool: pnpm11, route: 'config' },
  { label: 'pnpm 12', tool: pnpm12, route: 'pnpmfile' },
  { label: 'pnpm 12', tool: pnpm12, route: 'config' },
]

describe.each(matrix)('$label, plugin via $route', ({ tool, route }) => {
  test('remove sweeps the removed package\'s spaces once no project uses it; other spaces stay', async () => {
    const sandbox = createSandbox()
    const pm = tool()
    const one = await createProject({ sandbox, pm, registry: e2e.registry, route, name: 'one' })
    const two = await createProject({ sandbox, pm, registry: e2e.registry, route, name: 'two' })
    expectSuccess(await runPm(one, ['add', 'fixture-a', 'fixture-b']))
    expectSuccess(await runPm(two, ['add', 'fixture-a']))
    await requireIn(one, 'fixture-a')
    await requireIn(one, 'fixture-b')
    await requireIn(two, 'fixture-a')
    expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([true, true])

    // Project two still has fixture-a: its space must survive project one's remove.
    const first = expectSuccess(await runPm(one, ['remove', 'fixture-a']))
    expect(warningLines(first)).toEqual([])
    expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([true, true])

    // A cache that has grown: hundreds of files take several turns of the event loop to unlink.
    for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(spacePath(sandbox, 'fixture-a'), `entry-${i}`), 'cached\n')
    const last = expectSuccess(await runPm(two, ['remove', 'fixture-a']))
    expect(warningLines(last)).toEqual([])
    expect(pluginLines(last).join('\n')).toMatch(/removed 1 scratch space .*fixture-a/)
    expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([false, true])
    // Removed, not only moved away, by the time pnpm has exited: pnpm 10/11 wait for what the hook
    // left on their event loop, and pnpm 12 (which kills its hook worker) gets it done inside the hook.
    expect(fs.existsSync(trashDir(sandbox.store)) ? fs.readdirSync(trashDir(sandbox.store)) : []).toEqual([])
  })

  test('in a workspace, remove (--filter, or from a member) sweeps only what no member uses any more', async () => {
    const sandbox = createSandbox()
    const pm = tool()
    const ws = await createProject({ sandbox, pm, registry: e2e.registry, route, name: 'monorepo', members: ['packages/app1', 'packages/app2'] })
    expectSuccess(await runPm(ws, ['add', 'fixture-a', 'fixture-b', '--filter', 'app1']))
    expectSuccess(await runPm(ws, ['add', 'fixture-b', '--filter', 'app2']))
    const app1 = path.join(ws.dir, 'packages', 'app1')
    await requireIn(ws, 'fixture-a', { cwd: app1 })
    await requireIn(ws, 'fixture-b', { cwd: app1 })

    expectSuccess(await runPm(ws, ['remove', 'fixture-b', '--filter', 'app1']))
    expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([true, true])
    // Run from inside the member: the project is the workspace root pnpm reports to preResolution.
    const removed = expectSuccess(await runPm(ws, ['remove', 'fixture-a'], { cwd: app1 }))
    expect(warningLines(removed)).toEqual([])
    expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([false, true])
  })

  test('SCRATCHSPACE_AUTO_GC=0 registers but sweeps nothing', async () => {
    const sandbox = createSandbox()
    const pm = tool()
    const project = await createProject({ sandbox, pm, registry: e2e.registry, route })
    expectSuccess(await runPm(project, ['add', 'fixture-a', 'fixture-b']))
    await requireIn(project, 'fixture-a')
    await requireIn(project, 'fixture-b')
    const result = expectSuccess(await runPm(project, ['remove', 'fixture-a'], { env: { SCRATCHSPACE_AUTO_GC: '0' } }))
    expect(pluginLines(result)).toEqual([])
    expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([true, true])
  })
})
