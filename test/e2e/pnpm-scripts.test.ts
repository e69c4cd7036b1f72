/**
 * pnpm without the plugin: `pnpm scratch …` runs the package's `scratch` bin, and on pnpm 12
 * (≥ 12.6) the root `postuninstall` script that `scratch init` adds sweeps after `pnpm remove`.
 */
import path from 'node:path'
import {
  createProject, createSandbox, expectSuccess, hasSpace, pnpm10, pnpm12, repoRoot, requireIn, run, runPm, type PackageManager,
} from './harness'
import { useRegistry } from './harness/jest'

jest.setTimeout(180_000)

const e2e = useRegistry()

test.each([
  { label: 'pnpm 10', tool: pnpm10 },
  { label: 'pnpm 12', tool: pnpm12 },
])('$label: `pnpm scratch gc` resolves to the CLI in a project that depends on pnpm-plugin-scratch', async ({ tool }: { tool: () => PackageManager }) => {
  const sandbox = createSandbox()
  const project = await createProject({ sandbox, pm: tool(), registry: e2e.registry, route: 'none' })
  expectSuccess(await runPm(project, ['add', '--save-dev', 'pnpm-plugin-scratch']))
  const result = expectSuccess(await run(sandbox, project.pm.bin, ['scratch', 'gc', '--dry-run', '--json'], { cwd: project.dir }))
  // pnpm may print its own lines first (e.g. a verifying install); the JSON document is last.
  expect(JSON.parse(result.stdout.slice(result.stdout.indexOf('{')))).toMatchObject({ dryRun: true, freedBytes: 0 })
})

test('pnpm 12 without the plugin: scratch init adds postuninstall, and pnpm remove sweeps through it', async () => {
  const sandbox = createSandbox()
  const project = await createProject({ sandbox, pm: pnpm12(), registry: e2e.registry, route: 'none' })
  expectSuccess(await runPm(project, ['add', '--save-dev', 'pnpm-plugin-scratch']))
  const init = expectSuccess(await run(sandbox, process.execPath, [path.join(repoRoot, 'dist', 'cli.cjs'), 'init'], { cwd: project.dir }))
  expect(init.stdout).toContain('pnpm (detected from pnpm-lock.yaml)')
  expect(init.stdout).toContain('scripts.postuninstall: (none) -> "scratch gc --project ."')
  expect(init.stdout).toContain('pnpm add --config pnpm-plugin-scratch')

  expectSuccess(await runPm(project, ['add', 'fixture-a', 'fixture-b']))
  await requireIn(project, 'fixture-a')
  await requireIn(project, 'fixture-b')
  expectSuccess(await runPm(project, ['remove', 'fixture-a']))
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([false, true])
})
