/**
 * `scratch status` after a real npm uninstall that swept: npm hides the `dependencies` script's
 * output, so the status is where the user sees which project was swept and what went, and
 * that the project is wired. Real npm 11, the packed package, a local registry.
 */
import { createProject, createSandbox, expectSuccess, hasSpace, npm, requireIn, run, runPm, type Project, type RunResult } from './harness'
import { useRegistry } from './harness/jest'

jest.setTimeout(300_000)

const e2e = useRegistry()

const npx = (project: Project, args: string[]): Promise<RunResult> =>
  run(project.sandbox, 'npx', ['--no-install', ...args], { cwd: project.dir, env: { NO_COLOR: '1' } })

test('status shows the sweep of an npm uninstall, its project and deletions, and the npm script', async () => {
  const sandbox = createSandbox()
  const project = await createProject({ sandbox, pm: npm(), registry: e2e.registry })
  expectSuccess(await runPm(project, ['install', '--save-dev', 'pnpm-plugin-scratch']))
  expectSuccess(await npx(project, ['pnpm-plugin-scratch', 'init']))
  expectSuccess(await runPm(project, ['install', 'fixture-a']))
  await requireIn(project, 'fixture-a')
  expect(hasSpace(sandbox, 'fixture-a')).toBe(true)
  const before = Date.now()
  expectSuccess(await runPm(project, ['uninstall', 'fixture-a']))
  expect(hasSpace(sandbox, 'fixture-a')).toBe(false)

  const status = JSON.parse(expectSuccess(await npx(project, ['pnpm-plugin-scratch', 'status', '--json'])).stdout)
  expect(status).toMatchObject({
    root: sandbox.store, format: 1, exists: true, spaces: 0, bytes: 0,
    lastSweep: { project: project.dir, deleted: 1, warnings: [] },
    wired: { dir: project.dir, packageManager: 'npm', npmScript: true, configDependency: false, yarnPlugin: false, any: true },
  })
  expect(status.lastSweep.freedBytes).toBeGreaterThan(0)
  expect(Date.parse(status.lastSweep.at)).toBeGreaterThanOrEqual(before - 1000)
  expect(Object.keys(status).slice(0, 8)).toEqual(['root', 'format', 'exists', 'bytes', 'spaces', 'projects', 'lastGc', 'lastSweep'])

  const human = expectSuccess(await npx(project, ['pnpm-plugin-scratch', 'status'])).stdout
  expect(human).toMatch(/^Last sweep\s+just now for .*: deleted 1 space, freed /m)
  expect(human).toMatch(/^This project\s+.*\(npm\): npm "dependencies" script$/m)
})
