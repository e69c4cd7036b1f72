/**
 * Crashes: kill -9 a real `scratch gc` (and a scoped sweep, and an ensureScratch populate) at every
 * point of its run, with no seam in the product: the built CLI runs under the crash-after preload,
 * which SIGKILLs the process just before its Nth filesystem mutation. After each crash every
 * space is whole or gone, the state still loads, and the next gc finishes clean.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { registerProject, runGc } from '../../src/gc'
import { DAY, npmProject, recordUse } from '../gc/support'
import { removeTempDirs } from '../helpers/tmp'
import { bookkeepingDir } from '../../src/runtime/layout'
import {
  CRASH_PRELOAD, FIXTURES, buildSnapshot, figure, leftovers, logHealth, removeSnapshot, runChild, scratchCli, spacesOnDisk,
  stateFiles, stressDir, treeOf, type Snapshot,
} from './support'

const { POPULATED } = require(path.join(FIXTURES, 'populated.cjs')) as { POPULATED: Record<string, string> }

const LIVE_OWNERS = ['live-a', 'live-b', '@scope/live-c']
const DEAD_OWNERS = ['dead-x', 'dead-y', '@scope/dead-z']

let snapshot: Snapshot
beforeAll(async () => { snapshot = await buildSnapshot() })
afterAll(() => {
  removeSnapshot(snapshot)
  removeTempDirs()
})

interface Template {
  store: string
  project: string
  /** Every space of the template: `owner/key` → its files. */
  spaces: Map<string, Record<string, string>>
  live: Set<string>
  orphaned: Set<string>
}

function writeSpace(store: string, owner: string | null, key: string): Record<string, string> {
  const dir = path.join(store, ...(owner ?? '_global').split('/'), key)
  const id = `${owner ?? '_global'}/${key}`
  const files: Record<string, string> = {
    'a.txt': `${id} a`, 'sub/b.bin': `${id} b `.repeat(200), 'sub/deeper/c.json': JSON.stringify({ id }), 'z': '',
  }
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    fs.writeFileSync(path.join(dir, rel), content)
  }
  return treeOf(dir)
}

/**
 * A store with a registered project P (listing the live owners), live spaces used from P, a global
 * space used from P, orphaned spaces (owners P recorded but no longer lists, one unattributed and
 * 40 days old), a registry and compacted log from an earlier run, trash left by an earlier crash
 * a rotated log segment that was never compacted, and the lock of a gc that died.
 */
async function makeTemplate(): Promise<Template> {
  const tmp = stressDir()
  const store = path.join(tmp, 'store')
  const project = npmProject(path.join(tmp, 'project'), LIVE_OWNERS)
  registerProject(project, { root: store })
  const spaces = new Map<string, Record<string, string>>()
  const live = new Set<string>()
  const orphaned = new Set<string>()
  const add = (owner: string | null, key: string, set: Set<string>, projectDir: string | null, time = Date.now() - 60_000): void => {
    const id = `${owner ?? '_global'}/${key}`
    spaces.set(id, writeSpace(store, owner, key))
    recordUse(store, { owner, key }, projectDir, time)
    set.add(id)
  }
  for (const owner of LIVE_OWNERS) for (const key of ['k1', 'k2']) add(owner, key, live, project)
  add(null, 'shared', live, project)
  // An earlier run: the registry, the orphan marks and the compacted log exist.
  await runGc({ root: store })
  for (const owner of DEAD_OWNERS) for (const key of ['k1', 'k2']) add(owner, key, orphaned, project)
  add('old-pkg', 'k1', orphaned, null, Date.now() - 40 * DAY)
  const book = bookkeepingDir(store)
  fs.writeFileSync(path.join(book, 'access.seg-0-1.log'), fs.readFileSync(path.join(book, 'access.log')))
  fs.mkdirSync(path.join(book, 'trash', 'earlier-crash', 'deep'), { recursive: true })
  fs.writeFileSync(path.join(book, 'trash', 'earlier-crash', 'deep', 'f'), 'left by a crash')
  // The lock of a gc that died: a pid above the kernel's pid_max cannot be alive.
  fs.mkdirSync(path.join(book, 'lock'))
  fs.writeFileSync(path.join(book, 'lock', 'owner.json'), JSON.stringify({ pid: 4_194_305, host: os.hostname(), since: new Date().toISOString(), command: 'scratch gc' }))
  return { store, project, spaces, live, orphaned }
}

function copyStore(template: Template): string {
  const store = path.join(stressDir(), 'store')
  fs.cpSync(template.store, store, { recursive: true, preserveTimestamps: true })
  return store
}

/** Whole-or-gone for every space, live ones whole, nothing unexpected; returns the problems found. */
function spaceProblems(store: string, template: Template): string[] {
  const problems: string[] = []
  const onDisk = spacesOnDisk(store)
  for (const [id, tree] of onDisk) {
    const expected = template.spaces.get(id)
    if (expected === undefined) problems.push(`unexpected space ${id}`)
    else if (JSON.stringify(tree) !== JSON.stringify(expected)) problems.push(`partial space ${id}`)
  }
  for (const id of template.live) if (!onDisk.has(id)) problems.push(`live space ${id} deleted`)
  return problems
}

interface CrashFigures { points: number; total: number; partial: number; liveDeleted: number; damagedState: number; nextGcFailures: number; leftovers: number; orphansLeft: number; slowest: number }

/**
 * Runs `args` of the CLI under the crash preload at each step in `points` on a fresh copy of the
 * template, then checks the crashed store and the next (clean) gc.
 */
async function crashSeries(template: Template, args: string[], points: number[], figures: CrashFigures): Promise<string[]> {
  const problems: string[] = []
  for (const n of points) {
    const store = copyStore(template)
    const crashed = await scratchCli(snapshot, store, args, { preload: CRASH_PRELOAD, env: { CRASH_AFTER: String(n) }, cwd: template.project })
    const at = `${args.join(' ')} killed before step ${n}`
    if (crashed.signal !== 'SIGKILL') problems.push(`${at}: not killed (code ${crashed.code}, ${crashed.stderr.trim()})`)
    for (const p of spaceProblems(store, template)) problems.push(`${at}: ${p}`)
    const state = stateFiles(store)
    if (state.registry === 'damaged' || state.marks === 'damaged') {
      figures.damagedState++
      problems.push(`${at}: state files ${JSON.stringify(state)}`)
    }
    try {
      await runGc({ root: store, dryRun: true })
    } catch (err) {
      problems.push(`${at}: a dry run fails to load the store: ${String(err)}`)
    }
    const next = await scratchCli(snapshot, store, ['gc', '--json'])
    figures.slowest = Math.max(figures.slowest, next.ms)
    if (next.code !== 0) {
      figures.nextGcFailures++
      problems.push(`${at}: next gc exit ${next.code}: ${next.stderr.trim()}`)
    }
    const onDisk = spacesOnDisk(store)
    for (const id of template.orphaned) {
      if (onDisk.has(id)) {
        figures.orphansLeft++
        problems.push(`${at}: orphaned ${id} survived the next gc`)
      }
    }
    for (const p of spaceProblems(store, template)) problems.push(`${at}, then gc: ${p}`)
    const left = leftovers(store)
    figures.leftovers += left.length
    if (left.length > 0) problems.push(`${at}, then gc: leftovers ${left.join(', ')}`)
    const log = logHealth(store)
    if (log.damaged > 0) problems.push(`${at}, then gc: ${log.damaged} damaged log lines`)
    if (stateFiles(store).registry !== 'ok') problems.push(`${at}, then gc: registry ${stateFiles(store).registry}`)
    figures.points++
    fs.rmSync(path.dirname(store), { recursive: true, force: true })
  }
  figures.partial += problems.filter((p) => p.includes('partial')).length
  figures.liveDeleted += problems.filter((p) => p.includes('live space')).length
  return problems
}

/** How many mutations a clean run makes (the crash preload counting, killing nothing). */
async function calibrate(template: Template, args: string[]): Promise<number> {
  const store = copyStore(template)
  const countFile = path.join(path.dirname(store), 'count')
  const result = await scratchCli(snapshot, store, args, { preload: CRASH_PRELOAD, env: { CRASH_COUNT_FILE: countFile }, cwd: template.project })
  expect(result.code).toBe(0)
  return Number(fs.readFileSync(countFile, 'utf8'))
}

/** Every step when there are few, else `max` steps spread evenly over the run, always including the first and last. */
function spread(total: number, max: number): number[] {
  if (total <= max) return Array.from({ length: total }, (_, i) => i + 1)
  return [...new Set(Array.from({ length: max }, (_, i) => 1 + Math.round((i * (total - 1)) / (max - 1))))]
}

test.each([
  ['scratch gc', 40, (_project: string) => ['gc', '--json']],
  ['scratch gc --project', 24, (project: string) => ['gc', '--project', project, '--json']],
])('kill -9 of %s at points spread over its whole run: spaces whole or gone, state loads, next gc clean', async (label, max, argsFor) => {
  const template = await makeTemplate()
  // The project stops listing nothing: the scoped sweep's candidates are the owners it recorded and never listed.
  const args = argsFor(template.project)
  const total = await calibrate(template, args)
  const figures: CrashFigures = { points: 0, total, partial: 0, liveDeleted: 0, damagedState: 0, nextGcFailures: 0, leftovers: 0, orphansLeft: 0, slowest: 0 }
  const problems = await crashSeries(template, args, spread(total, max), figures)
  figure(`crash (${label}): ${figures.points} kill -9 points over ${total} fs mutations, ${figures.partial} partial spaces, ` +
    `${figures.liveDeleted} live spaces deleted, ${figures.damagedState} damaged state files, ${figures.nextGcFailures} failed next runs, ` +
    `${figures.leftovers} leftovers after the next gc, ${figures.orphansLeft} orphans left, slowest next gc ${figures.slowest} ms`)
  expect(problems).toEqual([])
  expect(figures.points).toBeGreaterThanOrEqual(20)
}, 240_000)

describe('a crashed ensureScratch populate', () => {
  const populateScript = path.join(FIXTURES, 'populate.cjs')

  function complete(): Record<string, string> {
    const dir = path.join(stressDir(), 'reference')
    for (const [rel, content] of Object.entries(POPULATED)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
      fs.writeFileSync(path.join(dir, rel), content)
    }
    return treeOf(dir)
  }

  function fresh(): { store: string; project: string } {
    const tmp = stressDir()
    return { store: path.join(tmp, 'store'), project: npmProject(path.join(tmp, 'project'), ['live-a']) }
  }

  /** After a crash: the space is absent or complete, no half space is visible, and the next call completes it. */
  async function checkAfterCrash(store: string, project: string, expected: Record<string, string>): Promise<string[]> {
    const problems: string[] = []
    const space = path.join(store, 'live-a', 'model')
    const visible = spacesOnDisk(store)
    if (fs.existsSync(space) && JSON.stringify(treeOf(space)) !== JSON.stringify(expected)) problems.push('a half-populated space is visible')
    if ([...visible.keys()].some((id) => id !== 'live-a/model')) problems.push(`unexpected spaces ${[...visible.keys()].join(', ')}`)
    const listed = await runGc({ root: store, dryRun: true })
    if (listed.spaces.some((s) => s.key !== 'model')) problems.push('gc lists a temp dir as a space')
    const wasAbsent = !fs.existsSync(space)
    const next = await runChild([populateScript, snapshot.index, 'live-a', 'model'], { cwd: project, env: { SCRATCHSPACE_DIR: store } }).done
    if (next.code !== 0) problems.push(`the next ensureScratch failed: ${next.stderr.trim()}`)
    const populated = next.stdout.includes('populating')
    if (populated !== wasAbsent) problems.push(`populate ${populated ? 'ran on a complete space' : 'did not run on an absent space'}`)
    if (!fs.existsSync(space) || JSON.stringify(treeOf(space)) !== JSON.stringify(expected)) problems.push('the next ensureScratch did not complete the space')
    // Temp dirs of dead populates are hidden, and a gc removes them once a day old.
    await runGc({ root: store, now: Date.now() + 2 * DAY })
    const left = leftovers(store)
    if (left.length > 0) problems.push(`leftovers a day later: ${left.join(', ')}`)
    if (!fs.existsSync(space) || JSON.stringify(treeOf(space)) !== JSON.stringify(expected)) problems.push('the gc a day later damaged the space')
    return problems
  }

  test('kill -9 before each fs mutation of the call leaves the space absent or complete; the next call populates it', async () => {
    const expected = complete()
    const calibration = fresh()
    const countFile = path.join(path.dirname(calibration.store), 'count')
    const args = ['-r', CRASH_PRELOAD, populateScript, snapshot.index, 'live-a', 'model']
    const clean = await runChild(args, { cwd: calibration.project, env: { SCRATCHSPACE_DIR: calibration.store, CRASH_COUNT_FILE: countFile } }).done
    expect(clean.code).toBe(0)
    const total = Number(fs.readFileSync(countFile, 'utf8'))
    const problems: string[] = []
    let absent = 0
    for (let n = 1; n <= total; n++) {
      const { store, project } = fresh()
      const crashed = await runChild(args, { cwd: project, env: { SCRATCHSPACE_DIR: store, CRASH_AFTER: String(n) } }).done
      if (crashed.signal !== 'SIGKILL') problems.push(`step ${n}: not killed`)
      if (!fs.existsSync(path.join(store, 'live-a', 'model'))) absent++
      for (const p of await checkAfterCrash(store, project, expected)) problems.push(`step ${n}: ${p}`)
    }
    figure(`crash (ensureScratch): ${total} kill -9 points, ${absent} left the space absent, ${total - absent} complete, ` +
      `${problems.length} problems (half spaces visible, failed re-populates, leftovers a day later)`)
    expect(problems).toEqual([])
  }, 120_000)

  test('kill -9 from outside while populate is half done (timed, not counted)', async () => {
    const expected = complete()
    const { store, project } = fresh()
    const { child, done } = runChild([populateScript, snapshot.index, 'live-a', 'model', 'pause'], { cwd: project, env: { SCRATCHSPACE_DIR: store } })
    await new Promise<void>((resolve) => child.stdout!.on('data', (chunk: string) => { if (chunk.includes('half')) resolve() }))
    child.kill('SIGKILL')
    expect((await done).signal).toBe('SIGKILL')
    expect(fs.existsSync(path.join(store, 'live-a', 'model'))).toBe(false)
    // The half-filled temp dir is there, but hidden: no space, nothing listed.
    expect(fs.readdirSync(path.join(store, 'live-a')).filter((name) => name.startsWith('.model.tmp-'))).toHaveLength(1)
    expect(await checkAfterCrash(store, project, expected)).toEqual([])
  })
})
