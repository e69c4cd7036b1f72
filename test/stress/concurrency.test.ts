/**
 * Concurrency: 8 node processes calling getScratch/ensureScratch on live spaces while one
 * process runs `scratch gc` in a loop and another runs the scoped sweep (`scratch gc --project`)
 * in a loop; then several gc runs started at once over the same orphaned spaces.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runGc } from '../../src/gc'
import type { GcReport } from '../../src/gc'
import { loadRegistry } from '../../src/store/registry'
import { npmProject, recordUse } from '../gc/support'
import { removeTempDirs } from '../helpers/tmp'
import { bookkeepingDir } from '../../src/runtime/layout'
import {
  FIXTURES, buildSnapshot, figure, leftovers, logHealth, prng, removeSnapshot, runChild, scratchCli, seedOf, sleep, spacesOnDisk,
  stressDir, type ChildResult, type Snapshot,
} from './support'

let snapshot: Snapshot
beforeAll(async () => { snapshot = await buildSnapshot() })
afterAll(() => {
  removeSnapshot(snapshot)
  removeTempDirs()
})

const LIVE_OWNERS = ['pkg-00', 'pkg-01', 'pkg-02', 'pkg-03', 'pkg-04', 'pkg-05', 'pkg-06', 'pkg-07', '@stress/pkg-08', '@stress/pkg-09']
const DEAD_OWNERS = ['gone-0', 'gone-1', 'gone-2', '@stress/gone-3']
const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4']

function spaceDir(store: string, owner: string, key: string): string {
  return path.join(store, ...owner.split('/'), key)
}

function makeOrphan(store: string, project: string, owner: string, key: string, bytes: number): void {
  const dir = spaceDir(store, owner, key)
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'data.bin'), Buffer.alloc(bytes - 10, 7))
  fs.writeFileSync(path.join(dir, 'sub', 'ten-bytes'), '0123456789')
  recordUse(store, { owner, key }, project, Date.now() - 60_000)
}

interface LoopResult { runs: ChildResult[]; reports: GcReport[] }

/** Runs the CLI with `args` again and again until `stop()` or `maxRuns`, one run at a time. */
async function loop(store: string, args: string[], cwd: string, stop: () => boolean, maxRuns: number, maxMs: number): Promise<LoopResult> {
  const result: LoopResult = { runs: [], reports: [] }
  const started = Date.now()
  while (!stop() && result.runs.length < maxRuns && Date.now() - started < maxMs) {
    const run = await scratchCli(snapshot, store, args, { cwd })
    result.runs.push(run)
    if (run.code === 0 || run.code === 1) {
      try {
        result.reports.push(JSON.parse(run.stdout) as GcReport)
      } catch {
        // No report: the run failed before printing one; its exit code and stderr are checked below.
      }
    }
  }
  return result
}

function deletedIn(reports: GcReport[]): GcReport['spaces'] {
  return reports.flatMap((report) => report.spaces.filter((space) => space.action === 'deleted'))
}

test('8 processes × 500 getScratch/ensureScratch calls while gc and the scoped sweep loop: no live space or file lost', async () => {
  const seed = seedOf(20_260_101)
  const tmp = stressDir()
  const store = path.join(tmp, 'store')
  const project = npmProject(path.join(tmp, 'project'), LIVE_OWNERS)
  const registered = await scratchCli(snapshot, store, ['register', project, '--json'])
  expect(JSON.parse(registered.stdout)).toMatchObject({ dir: project, status: 'present' })
  const live = LIVE_OWNERS.flatMap((owner) => KEYS.map((key) => [owner, key]))
  const orphaned = DEAD_OWNERS.flatMap((owner) => ['k0', 'k1'].map((key) => [owner, key]))
  for (const [owner, key] of orphaned) makeOrphan(store, project, owner, key, 1000)
  const syncDir = path.join(tmp, 'sync')
  fs.mkdirSync(syncDir)
  const plan = { seed, syncDir, store, calls: 500, maxMs: 90_000, pauseMs: 50, live, orphaned }
  const planFile = path.join(tmp, 'plan.json')
  fs.writeFileSync(planFile, JSON.stringify(plan))

  const workers = Array.from({ length: 8 }, (_, id) =>
    runChild([path.join(FIXTURES, 'worker.cjs'), snapshot.index, planFile, String(id)], { cwd: project, env: { SCRATCHSPACE_DIR: store }, timeoutMs: 120_000 }).done)
  for (let waited = 0; fs.readdirSync(syncDir).length < 8 && waited < 30_000; waited += 10) await sleep(10)
  let stopped = false
  const fullLoop = loop(store, ['gc', '--json'], project, () => stopped, 400, 100_000)
  const scopedLoop = loop(store, ['gc', '--project', project, '--json'], project, () => stopped, 400, 100_000)
  fs.writeFileSync(path.join(syncDir, 'go'), '')
  const results = await Promise.all(workers)
  stopped = true
  const [full, scoped] = await Promise.all([fullLoop, scopedLoop])
  // Every log line written during the run (live log, rotated segments, compacted log), before the final gc compacts them.
  const logDuring = logHealth(store)
  const final = await scratchCli(snapshot, store, ['gc', '--json'], { cwd: project })

  // Workers: all exited cleanly, and every call returned.
  expect(results.map((r) => [r.code, r.stderr])).toEqual(Array(8).fill([0, '']))
  const outputs = results.map((r) => JSON.parse(r.stdout) as {
    calls: number; ms: number; counts: Record<string, number>; written: [string, string][]; errors: { orphan?: boolean; code?: string; message: string }[]
  })
  const calls = outputs.reduce((sum, o) => sum + o.calls, 0)
  const counts: Record<string, number> = {}
  for (const o of outputs) for (const [k, v] of Object.entries(o.counts)) counts[k] = (counts[k] ?? 0) + v
  const errors = outputs.flatMap((o) => o.errors)

  // Every live space exists, and every file a worker wrote is there with its content.
  const missingSpaces = live.filter(([owner, key]) => !fs.existsSync(spaceDir(store, owner, key)))
  let lostFiles = 0
  let files = 0
  for (const o of outputs) {
    for (const [rel, content] of o.written) {
      files++
      const file = path.join(store, ...rel.split('/'))
      if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content) lostFiles++
    }
  }
  // No run reported deleting a live space, or failing.
  const reports = [...full.reports, ...scoped.reports]
  const liveOwners = new Set(LIVE_OWNERS)
  const liveDeleted = deletedIn(reports).filter((space) => space.owner !== null && liveOwners.has(space.owner))
  const failedActions = reports.flatMap((report) => report.spaces.filter((space) => space.action === 'failed'))
  const orphanDeletions = deletedIn(reports).length
  const badFull = full.runs.filter((run) => run.code !== 0 && !(run.code === 1 && run.stderr.startsWith('ERR_SCRATCH_LOCKED')))
  const badScoped = scoped.runs.filter((run) => run.code !== 0)
  const skippedScoped = scoped.reports.filter((report) => report.warnings.some((w) => w.includes('sweep skipped'))).length
  // The state after a final gc: log records intact, nothing left behind, registry loads.
  const log = logHealth(store)
  // Each full run reads every log file and warns about damaged lines it has not reported before.
  const damagedWarnings = full.reports.flatMap((report) => report.warnings).filter((w) => /damaged line/.test(w))
  const left = leftovers(store)
  const onDisk = spacesOnDisk(store)

  figure(`concurrency: ${calls} calls from 8 processes (get ${counts.get}, ensure ${counts.ensure}, ${counts.populated} populates, ` +
    `orphan get ${counts.orphanGet}, orphan ensure ${counts.orphanEnsure}) over ${live.length} live spaces, during ${full.runs.length} gc runs ` +
    `and ${scoped.runs.length} scoped sweeps (${skippedScoped} skipped: locked) that deleted ${orphanDeletions} orphaned spaces: ` +
    `${liveDeleted.length + missingSpaces.length} live spaces deleted, ${lostFiles}/${files} files lost, ${errors.length} API errors, ` +
    `${logDuring.damaged + log.damaged}/${logDuring.lines} damaged log records (${damagedWarnings.length} gc warnings about damaged lines), ` +
    `${left.length} leftovers after a final gc, seed=${seed}`)

  expect(errors).toEqual([])
  expect(calls).toBe(8 * 500)
  expect(missingSpaces).toEqual([])
  expect(liveDeleted).toEqual([])
  expect(lostFiles).toBe(0)
  expect(failedActions).toEqual([])
  expect(badFull.map((r) => r.stderr)).toEqual([])
  expect(badScoped.map((r) => r.stderr)).toEqual([])
  expect(final.code).toBe(0)
  expect(logDuring.damaged).toBe(0)
  expect(log.damaged).toBe(0)
  expect(damagedWarnings).toEqual([])
  expect(left).toEqual([])
  expect(loadRegistry(store).state).toBe('ok')
  for (const [owner, key] of orphaned) expect(onDisk.has(`${owner}/${key}`)).toBe(false)
  // The loops overlapped the workers: both kinds of run happened, and deletions raced the workers.
  expect(full.runs.length).toBeGreaterThanOrEqual(5)
  expect(scoped.runs.length).toBeGreaterThanOrEqual(5)
  expect(orphanDeletions).toBeGreaterThan(orphaned.length)
}, 180_000)

test('gc runs started at once never both delete: deleted lists are disjoint, freed bytes add up, losers wait or get ERR_SCRATCH_LOCKED', async () => {
  const seed = seedOf(20_260_102)
  const random = prng(seed)
  const tmp = stressDir()
  const store = path.join(tmp, 'store')
  const project = npmProject(path.join(tmp, 'project'), LIVE_OWNERS.slice(0, 3))
  const liveDir = spaceDir(store, LIVE_OWNERS[0], 'keep')
  fs.mkdirSync(liveDir, { recursive: true })
  recordUse(store, { owner: LIVE_OWNERS[0], key: 'keep' }, project)
  const rounds = 6
  let runs = 0
  let locked = 0
  let waitedThenEmpty = 0
  let deletedTotal = 0
  let overlaps = 0
  let freedTotal = 0
  let expectedTotal = 0
  for (let round = 0; round < rounds; round++) {
    const orphans = new Map<string, number>()
    for (let i = 0; i < 25; i++) {
      const owner = `dead-r${round}-${i % 5}`
      const key = `k${i}`
      const bytes = 1000 + Math.floor(random() * 5000)
      makeOrphan(store, project, owner, key, bytes)
      orphans.set(spaceDir(store, owner, key), bytes)
    }
    if (round % 2 === 1) {
      // A lock left by a gc that died: every contender may try to take it over at once.
      fs.mkdirSync(path.join(bookkeepingDir(store), 'lock'), { recursive: true })
      fs.writeFileSync(path.join(bookkeepingDir(store), 'lock', 'owner.json'), JSON.stringify({ pid: 4_194_305, host: os.hostname(), since: new Date().toISOString(), command: 'dead gc' }))
    }
    const children = [
      scratchCli(snapshot, store, ['gc', '--json'], { cwd: project }),
      scratchCli(snapshot, store, ['gc', '--json'], { cwd: project }),
      scratchCli(snapshot, store, ['gc', '--json'], { cwd: project }),
      scratchCli(snapshot, store, ['gc', '--project', project, '--json'], { cwd: project }),
    ]
    // One more, in this process, that does not wait for the lock; started at a random moment.
    await sleep(40 + Math.floor(random() * 200))
    let inProcess: GcReport | null = null
    try {
      inProcess = await runGc({ root: store, lockWaitMs: 0 })
    } catch (err) {
      expect(err).toMatchObject({ code: 'ERR_SCRATCH_LOCKED' })
      locked++
    }
    const results = await Promise.all(children)
    expect(results.map((r) => [r.code, r.stderr.replace(/^scratch: warning: .*locked.*\n/m, '')])).toEqual(Array(4).fill([0, '']))
    const reports = results.map((r) => JSON.parse(r.stdout) as GcReport)
    if (inProcess !== null) reports.push(inProcess)
    runs += reports.length
    locked += reports.filter((r) => r.warnings.some((w) => w.includes('sweep skipped'))).length
    waitedThenEmpty += reports.filter((r) => deletedIn([r]).length === 0 && !r.warnings.some((w) => w.includes('sweep skipped'))).length
    const deleted = deletedIn(reports).map((space) => space.path)
    overlaps += deleted.length - new Set(deleted).size
    deletedTotal += deleted.length
    const freed = reports.reduce((sum, r) => sum + r.freedBytes, 0)
    const expected = [...orphans.values()].reduce((sum, b) => sum + b, 0)
    freedTotal += freed
    expectedTotal += expected
    expect(deleted.sort()).toEqual([...orphans.keys()].sort())
    expect(freed).toBe(expected)
    for (const report of reports) expect(report.freedBytes).toBe(deletedIn([report]).reduce((sum, s) => sum + s.bytes, 0))
    expect(fs.existsSync(liveDir)).toBe(true)
    expect(fs.existsSync(path.join(bookkeepingDir(store), 'lock'))).toBe(false)
  }
  figure(`gc contention: ${rounds} rounds × 5 runs at once (3 gc, 1 scoped sweep, 1 in-process without waiting; a dead gc's lock in ${rounds / 2} rounds): ` +
    `${deletedTotal} orphaned spaces deleted, ${overlaps} deleted twice, freed ${freedTotal} of ${expectedTotal} bytes expected, ` +
    `${locked} runs refused (ERR_SCRATCH_LOCKED or sweep skipped), ${waitedThenEmpty} waited and found nothing left, 0 live spaces deleted, seed=${seed}`)
  expect(overlaps).toBe(0)
  expect(freedTotal).toBe(expectedTotal)
  expect(runs).toBeGreaterThanOrEqual(rounds * 4)
}, 120_000)
