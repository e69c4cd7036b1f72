/**
 * Adoption with real npm 11, exactly as the README's set-up section says: `npm install
 * --save-dev pnpm-plugin-scratch`, `npx pnpm-plugin-scratch init`, and then every install a
 * project sees afterwards must still pass — `npm ci --omit=dev` and `NODE_ENV=production npm ci`
 * (the package is a devDependency, so it is absent), `npm uninstall pnpm-plugin-scratch` and an
 * install after it — while `npm uninstall` of a library sweeps its space. One project per test,
 * each install shared by the steps that follow it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { readLastSweep } from '../../src/gc/last-sweep'
import { NPM_GC_SCRIPT } from '../../src/integration/npm-script'
import { createProject, createSandbox, expectSuccess, hasSpace, npm, requireIn, run, runPm, type Project, type RunResult } from './harness'
import { useRegistry } from './harness/jest'

jest.setTimeout(300_000)

const e2e = useRegistry()

const npx = (project: Project, args: string[], env?: Record<string, string>): Promise<RunResult> =>
  run(project.sandbox, 'npx', ['--no-install', ...args], { cwd: project.dir, env })
const manifest = (project: Project): { scripts?: Record<string, string>; [k: string]: unknown } =>
  JSON.parse(fs.readFileSync(path.join(project.dir, 'package.json'), 'utf8'))
const installed = (project: Project, name: string): boolean => fs.existsSync(path.join(project.dir, 'node_modules', name, 'package.json'))

test('README set-up: init (twice), uninstall of a library sweeps; npm ci --omit=dev, NODE_ENV=production npm ci, uninstalling the package and installing something else all pass; --undo', async () => {
  const sandbox = createSandbox()
  const project = await createProject({ sandbox, pm: npm(), registry: e2e.registry })
  const original = fs.readFileSync(path.join(project.dir, 'package.json'), 'utf8')
  expectSuccess(await runPm(project, ['install', '--save-dev', 'pnpm-plugin-scratch']))
  const init = expectSuccess(await npx(project, ['pnpm-plugin-scratch', 'init']))
  expect(init.stdout).toContain('npm (detected from package-lock.json)')
  expect(init.stdout).toContain(`scripts.dependencies: (none) -> ${JSON.stringify(NPM_GC_SCRIPT)}`)
  expect(init.stderr).toBe('')
  expect(expectSuccess(await npx(project, ['pnpm-plugin-scratch', 'init'])).stdout).toContain('Nothing to change')
  expect(manifest(project).scripts).toEqual({ dependencies: NPM_GC_SCRIPT })

  // A library that uses the runtime, then removed: its space goes at once.
  expectSuccess(await runPm(project, ['install', 'fixture-a']))
  await requireIn(project, 'fixture-a')
  expect(hasSpace(sandbox, 'fixture-a')).toBe(true)
  expectSuccess(await runPm(project, ['uninstall', 'fixture-a']))
  expect(hasSpace(sandbox, 'fixture-a')).toBe(false)
  // npm hid the script's output; the store kept the outcome.
  expect(readLastSweep(sandbox.store)).toMatchObject({ project: project.dir, deleted: 1, warnings: [] })

  // The Dockerfile step: the devDependency (and with it the bin) is absent, while a production
  // dependency is installed, so npm runs the script (the control test below shows it does).
  expectSuccess(await runPm(project, ['install', 'fixture-c']))
  expectSuccess(await runPm(project, ['ci', '--omit=dev']))
  expect(installed(project, 'pnpm-plugin-scratch')).toBe(false)
  expectSuccess(await runPm(project, ['ci'], { env: { NODE_ENV: 'production' } }))
  expect(installed(project, 'pnpm-plugin-scratch')).toBe(false)
  expectSuccess(await runPm(project, ['ci']))
  expect(installed(project, 'pnpm-plugin-scratch')).toBe(true)

  // Removing the package keeps every later install working (the script stays until --undo).
  expectSuccess(await runPm(project, ['uninstall', 'pnpm-plugin-scratch']))
  expectSuccess(await runPm(project, ['uninstall', 'fixture-c']))
  expectSuccess(await runPm(project, ['install', 'fixture-c']))
  expect([installed(project, 'fixture-c'), installed(project, 'pnpm-plugin-scratch')]).toEqual([true, false])
  expect(manifest(project).scripts).toEqual({ dependencies: NPM_GC_SCRIPT })

  // --undo (from the registry now that the package is gone) restores the scripts as they were.
  expectSuccess(await runPm(project, ['install', '--save-dev', 'pnpm-plugin-scratch']))
  const undo = expectSuccess(await npx(project, ['pnpm-plugin-scratch', 'init', '--undo']))
  expect(undo.stdout).toContain(`scripts.dependencies: ${JSON.stringify(NPM_GC_SCRIPT)} -> (none)`)
  expect(manifest(project).scripts).toBeUndefined()
  expectSuccess(await runPm(project, ['uninstall', 'pnpm-plugin-scratch', 'fixture-c']))
  expect(fs.readFileSync(path.join(project.dir, 'package.json'), 'utf8')).toBe(original)
})

test('control: the revision-1 text fails npm ci --omit=dev (exit 127); init upgrades it, and then it passes', async () => {
  const sandbox = createSandbox()
  const project = await createProject({ sandbox, pm: npm(), registry: e2e.registry })
  expectSuccess(await runPm(project, ['install', '--save-dev', 'pnpm-plugin-scratch']))
  expectSuccess(await runPm(project, ['install', 'fixture-c']))
  expectSuccess(await runPm(project, ['pkg', 'set', 'scripts.dependencies=node -e 0 && scratch gc --project .']))
  const failing = await runPm(project, ['ci', '--omit=dev'])
  expect({ code: failing.code, output: failing.output }).toMatchObject({ code: 127, output: expect.stringMatching(/scratch: not found/) })
  expectSuccess(await runPm(project, ['ci', '--ignore-scripts']))
  const init = expectSuccess(await npx(project, ['pnpm-plugin-scratch', 'init']))
  expect(init.stdout).toContain('scripts.dependencies: "node -e 0 && scratch gc --project ." ->')
  expect(manifest(project).scripts).toEqual({ dependencies: `node -e 0 && ${NPM_GC_SCRIPT}` })
  expectSuccess(await runPm(project, ['ci', '--omit=dev']))
})

test('npx pnpm-plugin-scratch and npx scratch resolve to our CLI where the package is installed', async () => {
  const sandbox = createSandbox()
  const project = await createProject({ sandbox, pm: npm(), registry: e2e.registry })
  expectSuccess(await runPm(project, ['install', '--save-dev', 'pnpm-plugin-scratch']))
  for (const bin of ['pnpm-plugin-scratch', 'scratch']) {
    const gc = expectSuccess(await npx(project, [bin, 'gc', '--dry-run', '--json']))
    expect(JSON.parse(gc.stdout)).toMatchObject({ dryRun: true, spaces: [] })
  }
})
