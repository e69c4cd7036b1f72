/**
 * pnpm without the plugin: `pnpm scratch …` and `pnpm pnpm-plugin-scratch …` run the package's
 * bins. (What `scratch init` wires for pnpm is in adoption-pnpm.test.ts.)
 */
import {
  createProject, createSandbox, expectSuccess, pnpm10, pnpm11, pnpm12, run, runPm, type PackageManager,
} from './harness'
import { useRegistry } from './harness/jest'

jest.setTimeout(180_000)

const e2e = useRegistry()

test.each([
  { label: 'pnpm 10', tool: pnpm10 },
  { label: 'pnpm 11', tool: pnpm11 },
  { label: 'pnpm 12', tool: pnpm12 },
])('$label: `pnpm scratch gc` resolves to the CLI in a project that depends on pnpm-plugin-scratch', async ({ tool }: { tool: () => PackageManager }) => {
  const sandbox = createSandbox()
  const project = await createProject({ sandbox, pm: tool(), registry: e2e.registry, route: 'none' })
  expectSuccess(await runPm(project, ['add', '--save-dev', 'pnpm-plugin-scratch']))
  for (const bin of ['scratch', 'pnpm-plugin-scratch']) {
    const result = expectSuccess(await run(sandbox, project.pm.bin, [bin, 'gc', '--dry-run', '--json'], { cwd: project.dir }))
    // pnpm may print its own lines first (e.g. a verifying install); the JSON document is last.
    expect(JSON.parse(result.stdout.slice(result.stdout.indexOf('{')))).toMatchObject({ dryRun: true, freedBytes: 0 })
  }
})
