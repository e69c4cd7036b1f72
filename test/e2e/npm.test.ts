/**
 * npm 11: `scratch init` adds `"dependencies": "scratch gc --project ."`, which npm runs after
 * every install and uninstall that changed node_modules; `npm uninstall` then sweeps.
 */
import fs from 'node:fs'
import path from 'node:path'
import {
  createProject, createSandbox, expectSuccess, hasSpace, npm, repoRoot, requireIn, run, runPm, type Project,
} from './harness'
import { useRegistry } from './harness/jest'

jest.setTimeout(180_000)

const e2e = useRegistry()

const cli = path.join(repoRoot, 'dist', 'cli.cjs')

async function init(project: Project): Promise<{ stdout: string; stderr: string }> {
  return expectSuccess(await run(project.sandbox, process.execPath, [cli, 'init'], { cwd: project.dir }))
}

test('with pnpm-plugin-scratch as a devDependency: init, install, uninstall sweeps; npx scratch resolves to the CLI', async () => {
  const sandbox = createSandbox()
  const project = await createProject({ sandbox, pm: npm(), registry: e2e.registry })
  expectSuccess(await runPm(project, ['install', '--save-dev', 'pnpm-plugin-scratch']))
  const { stdout, stderr } = await init(project)
  expect(stdout).toContain('npm (detected from package-lock.json)')
  expect(stdout).toContain('scripts.dependencies: (none) -> "scratch gc --project ."')
  expect(stderr).toBe('')
  expect((await init(project)).stdout).toContain('Nothing to change')

  expectSuccess(await runPm(project, ['install', 'fixture-a', 'fixture-b']))
  await requireIn(project, 'fixture-a')
  await requireIn(project, 'fixture-b')
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([true, true])

  expectSuccess(await runPm(project, ['uninstall', 'fixture-a']))
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([false, true])
  expectSuccess(await runPm(project, ['uninstall', 'fixture-b']))
  expect(hasSpace(sandbox, 'fixture-b')).toBe(false)

  const gc = expectSuccess(await run(sandbox, 'npx', ['scratch', 'gc', '--dry-run', '--json'], { cwd: project.dir }))
  expect(JSON.parse(gc.stdout)).toMatchObject({ dryRun: true, spaces: [] })
})

test('init before any install, the scratch command coming from the libraries that use it: uninstall sweeps', async () => {
  const sandbox = createSandbox()
  const project = await createProject({ sandbox, pm: npm(), registry: e2e.registry })
  const { stderr } = await init(project)
  // The script needs the `scratch` command; init says how to keep it installed.
  expect(stderr).toMatch(/npm install --save-dev pnpm-plugin-scratch/)
  expect(JSON.parse(fs.readFileSync(path.join(project.dir, 'package.json'), 'utf8')).scripts).toEqual({ dependencies: 'scratch gc --project .' })

  expectSuccess(await runPm(project, ['install', 'fixture-a', 'fixture-b']))
  await requireIn(project, 'fixture-a')
  await requireIn(project, 'fixture-b')
  expectSuccess(await runPm(project, ['uninstall', 'fixture-a']))
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([false, true])
})
