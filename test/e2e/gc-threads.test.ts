/**
 * The full gc reads lockfiles on two threads when many projects need reading (docs/design.md,
 * "Performance"). Through the built gc bundle, in fresh processes: the report is the same with
 * the second thread, without it (no worker can be created), with a helper that never starts, and
 * with one that claims jobs and dies without delivering them; and the names it stores are the
 * same as a one-thread run's.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { repoRoot } from '../helpers/dist'
import { removeTempDirs, tempDir } from '../helpers/tmp'
import { bookkeepingDir } from '../../src/runtime/layout'

jest.setTimeout(120_000)
afterEach(removeTempDirs)

const GC = path.join(repoRoot, 'dist', 'gc.cjs')
const PROJECTS = 70

function lockfile(i: number): string {
  const deps = [`pkg-${i}`, 'shared']
  return [
    "lockfileVersion: '9.0'", '', 'settings:', '  autoInstallPeers: true', '  excludeLinksFromLockfile: false', '',
    'importers:', '', '  .:', '    dependencies:',
    ...deps.flatMap((dep) => [`      ${dep}:`, '        specifier: ^1.0.0', '        version: 1.0.0']), '',
    'packages:', '', ...deps.flatMap((dep) => [`  ${dep}@1.0.0:`, `    resolution: {integrity: sha512-${dep}}`, '']),
    'snapshots:', '', ...deps.flatMap((dep) => [`  ${dep}@1.0.0: {}`, '']),
  ].join('\n')
}

/** A store with PROJECTS registered projects (two unreadable), one space per package and one orphan. */
function world(): { store: string; dirs: string[] } {
  const base = tempDir('scratch-threads-')
  const store = path.join(base, 'store')
  const dirs: string[] = []
  for (let i = 0; i < PROJECTS; i++) {
    const dir = path.join(base, 'projects', `p${String(i).padStart(3, '0')}`)
    fs.mkdirSync(dir, { recursive: true })
    // Every tenth project (5, 15, …) has no name and a lockfile without dependencies: no names at all, whichever thread reads it.
    if (i % 10 === 5) {
      fs.writeFileSync(path.join(dir, 'package.json'), '{}')
      fs.writeFileSync(path.join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n")
      dirs.push(dir)
      continue
    }
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `project-${i}`, dependencies: { [`pkg-${i}`]: '^1.0.0', shared: '^1.0.0' } }))
    // Project 7's lockfile is cut short, project 13's is a directory: both unknown, whichever thread reads them.
    if (i === 7) fs.writeFileSync(path.join(dir, 'pnpm-lock.yaml'), lockfile(i).slice(0, 200))
    else if (i === 13) fs.mkdirSync(path.join(dir, 'pnpm-lock.yaml'))
    else fs.writeFileSync(path.join(dir, 'pnpm-lock.yaml'), lockfile(i))
    dirs.push(dir)
  }
  const register = `const gc = require(${JSON.stringify(GC)}); for (const dir of ${JSON.stringify(dirs)}) gc.registerProject(dir, { root: ${JSON.stringify(store)} })`
  expect(spawnSync(process.execPath, ['-e', register], { encoding: 'utf8' }).status).toBe(0)
  for (let i = 0; i < PROJECTS; i++) fs.mkdirSync(path.join(store, `pkg-${i}`, 'cache'), { recursive: true })
  fs.mkdirSync(path.join(store, 'gone-pkg', 'cache'), { recursive: true })
  return { store, dirs }
}

// How the child's workers behave: as shipped, none can be created, one that fails before it
// starts, one that claims five jobs and exits without delivering them.
const WORKERS: Record<string, string> = {
  real: '',
  none: "wt.Worker = class { constructor() { throw new Error('no threads here') } }",
  failing: "wt.Worker = class extends Real { constructor(_script, opts) { super(\"throw new Error('broken')\", opts) } }",
  // Claims the first five jobs (before the main thread can) and ends without delivering them.
  dying: 'wt.Worker = class extends Real { constructor(_script, opts) { const s = opts.workerData.shared; Atomics.store(s, 1, 1); Atomics.add(s, 0, 5); ' +
    'super("const { workerData: { shared } } = require(\'node:worker_threads\'); Atomics.store(shared, 2, 1); Atomics.notify(shared, 2)", opts) } }',
}

/** A gc in a fresh process with `workers` behaviour: the report, and how many workers it created. */
function gc(store: string, workers: string, dryRun: boolean): { report: { projects: unknown[]; spaces: unknown[]; warnings: string[] }; created: number } {
  const script = `
    const wt = require('node:worker_threads'); const Real = wt.Worker; let created = 0
    ${WORKERS[workers]}
    const Counted = wt.Worker; wt.Worker = class extends Counted { constructor(...args) { super(...args); created++ } }
    require(${JSON.stringify(GC)}).runGc({ root: ${JSON.stringify(store)}, dryRun: ${dryRun}, now: 1e13 })
      .then((report) => process.stdout.write(JSON.stringify({ report, created })))`
  const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' })
  expect(out.stderr.slice(-2000)).toBe('')
  expect(out.status).toBe(0)
  return JSON.parse(out.stdout)
}

function storedNames(store: string): Record<string, string[]> {
  const file = JSON.parse(fs.readFileSync(path.join(bookkeepingDir(store), 'registry.json'), 'utf8'))
  const byDir: Record<string, string[]> = {}
  for (const [dir, entry] of Object.entries<{ names: number[] }>(file.projects)) {
    let id = -1
    byDir[dir] = entry.names.map((gap) => file.names[id += gap]).sort()
  }
  return byDir
}

test('the same report with and without a second thread, and when the helper fails or dies', () => {
  if (!fs.existsSync(GC)) throw new Error(`${GC} is missing: run npm run build first`)
  const { store, dirs } = world()
  const real = gc(store, 'real', true)
  expect(real.created).toBe(1)
  const statuses = (real.report.projects as Array<{ dir: string; status: string }>).map((p) => p.status)
  expect(statuses[5]).toBe('present')
  expect(statuses.filter((s) => s === 'present')).toHaveLength(PROJECTS - 2)
  expect(statuses[7]).toBe('unknown')
  expect(statuses[13]).toBe('unknown')
  for (const workers of ['none', 'failing', 'dying']) {
    const other = gc(store, workers, true)
    expect(other.created).toBe(workers === 'none' ? 0 : 1)
    expect(other.report).toEqual(real.report)
  }
  // The names stored after a real run are what each project's lockfile and package.json say.
  gc(store, 'real', false)
  const names = storedNames(store)
  expect(names[dirs[3]]).toEqual(['pkg-3', 'project-3', 'shared'])
  // No names cross the threads as no names (an empty joined string once came back as one name '').
  for (let i = 5; i < PROJECTS; i += 10) expect(names[dirs[i]]).toEqual([])
  expect(JSON.parse(fs.readFileSync(path.join(bookkeepingDir(store), 'registry.json'), 'utf8')).names).not.toContain('')
  expect(Object.keys(names)).toHaveLength(PROJECTS)
  expect(fs.existsSync(path.join(store, 'gone-pkg', 'cache'))).toBe(false)
  expect(fs.existsSync(path.join(store, 'pkg-69', 'cache'))).toBe(true)
})
