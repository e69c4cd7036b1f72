/**
 * The plugin never breaks an install: with a damaged, unwritable or locked store, `pnpm add` and
 * `pnpm remove` still exit 0 and the plugin says what happened in exactly one warning line.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { accessLogPath, bookkeepingDir } from '../../src/runtime/layout'
import {
  createProject, createSandbox, expectSuccess, hasSpace, pnpm10, pnpm11, pnpm12, repoRoot, requireIn, run, runPm, warningLines,
  type PackageManager, type PluginRoute, type Project,
} from './harness'
import { useRegistry } from './harness/jest'

jest.setTimeout(180_000)

const e2e = useRegistry()

const matrix: Array<{ label: string; tool: () => PackageManager; route: PluginRoute }> = [
  { label: 'pnpm 10', tool: pnpm10, route: 'pnpmfile' },
  { label: 'pnpm 11', tool: pnpm11, route: 'config' },
  { label: 'pnpm 12', tool: pnpm12, route: 'config' },
]

/** `pnpm add` then `pnpm remove`, each expected to exit 0 with exactly one plugin warning line. */
async function addAndRemoveWarnOnce(project: Project, before: () => void, env: Record<string, string> = {}): Promise<string[]> {
  const lines: string[] = []
  for (const args of [['add', 'fixture-b'], ['remove', 'fixture-a']]) {
    before()
    const result = expectSuccess(await runPm(project, args, { env }))
    const warnings = warningLines(result)
    expect({ command: result.command, warnings }).toEqual({ command: result.command, warnings: [expect.any(String)] })
    lines.push(...warnings)
  }
  return lines
}

describe.each(matrix)('$label (plugin via $route) with a broken store', ({ tool, route }) => {
  test('a damaged registry and access log: install and remove succeed, one warning each, nothing deleted on a rebuild', async () => {
    const sandbox = createSandbox()
    const project = await createProject({ sandbox, pm: tool(), registry: e2e.registry, route })
    expectSuccess(await runPm(project, ['add', 'fixture-a']))
    await requireIn(project, 'fixture-a')
    const damage = (): void => {
      fs.writeFileSync(path.join(bookkeepingDir(sandbox.store), 'registry.json'), '{"version": 1, "projects": [garbage')
      fs.appendFileSync(accessLogPath(sandbox.store), 'deadbeef {"t":"access","space":"fixture-a/cache"}\n\u0000\u0001garbage\n')
    }
    const lines = await addAndRemoveWarnOnce(project, damage)
    expect(lines.join('\n')).toMatch(/damaged/)
    // A run that had to rebuild the registry deletes nothing (fail closed).
    expect(hasSpace(sandbox, 'fixture-a')).toBe(true)
  })

  test('an unwritable store (SCRATCHSPACE_DIR under a regular file): install and remove succeed, one warning each', async () => {
    const sandbox = createSandbox()
    const project = await createProject({ sandbox, pm: tool(), registry: e2e.registry, route })
    expectSuccess(await runPm(project, ['add', 'fixture-a']))
    const file = path.join(sandbox.dir, 'not-a-directory')
    fs.writeFileSync(file, 'a regular file\n')
    const lines = await addAndRemoveWarnOnce(project, () => undefined, { SCRATCHSPACE_DIR: path.join(file, 'store') })
    expect(lines.join('\n')).toMatch(/ENOTDIR/)
  })

  test('a locked store: install and remove succeed, one warning each, and the next gc catches up', async () => {
    const sandbox = createSandbox()
    const project = await createProject({ sandbox, pm: tool(), registry: e2e.registry, route })
    expectSuccess(await runPm(project, ['add', 'fixture-a']))
    await requireIn(project, 'fixture-a')
    const lock = path.join(bookkeepingDir(sandbox.store), 'lock')
    fs.mkdirSync(lock, { recursive: true })
    // A live process on this host holds it: this test's own pid.
    fs.writeFileSync(path.join(lock, 'owner.json'), JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString(), command: 'e2e test' }))
    const lines = await addAndRemoveWarnOnce(project, () => undefined)
    expect(lines.join('\n')).toMatch(/locked/)
    expect(hasSpace(sandbox, 'fixture-a')).toBe(true)

    fs.rmSync(lock, { recursive: true })
    expectSuccess(await run(sandbox, process.execPath, [path.join(repoRoot, 'dist', 'cli.cjs'), 'gc'], { cwd: project.dir }))
    expect(hasSpace(sandbox, 'fixture-a')).toBe(false)
  })
})
