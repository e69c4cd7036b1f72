/**
 * Bounded bookkeeping: a real access log past 512 MiB (the size at which reading it whole fails
 * with ERR_STRING_TOO_LONG) and a hook-size one (~400 MiB). gc and list stream it in bounded
 * memory; the first gc or sweep compacts it to a size proportional to the distinct uses.
 */
import fs from 'node:fs'
import path from 'node:path'
import { encodeRecord } from '../../src/runtime/access-log'
import { npmProject } from '../gc/support'
import { useSandbox } from '../runtime/support'
import { buildSnapshot, figure, removeSnapshot, scratchCli, type Snapshot } from './support'
import { accessLogPath, bookkeepingDir } from '../../src/runtime/layout'

const MiB = 1024 ** 2
const SPACES = 40

/**
 * Writes `<store>/.scratch/access.log` of at least `bytes`: one block of valid, distinct records
 * (40 spaces × 25 times, from `project`) written over and over in 16 MiB writes. Real bytes on
 * disk, no sparse file: every line is read and checked.
 */
function writeHugeLog(store: string, project: string, bytes: number): number {
  const lines: string[] = []
  const now = Date.now()
  for (let i = 0; i < 1000; i++) {
    const owner = `pkg-${i % SPACES}`
    lines.push(encodeRecord({ t: 'access', space: `${owner}/cache`, owner, caller: owner, project, time: new Date(now - i * 1000).toISOString(), pid: 1000 + i }))
  }
  const block = Buffer.from(lines.join(''))
  const big = Buffer.concat(Array.from({ length: Math.ceil((16 * MiB) / block.length) }, () => block))
  fs.mkdirSync(bookkeepingDir(store), { recursive: true })
  const fd = fs.openSync(accessLogPath(store), 'w')
  let written = 0
  try {
    while (written < bytes) written += fs.writeSync(fd, big)
  } finally {
    fs.closeSync(fd)
  }
  return written
}

function makeSpaces(store: string): void {
  for (let i = 0; i < SPACES; i++) {
    fs.mkdirSync(path.join(store, `pkg-${i}`, 'cache'), { recursive: true })
    fs.writeFileSync(path.join(store, `pkg-${i}`, 'cache', 'data'), 'x')
  }
}

function logBytes(store: string): number {
  const book = bookkeepingDir(store)
  return fs.readdirSync(book).filter((name) => /^access\..*log$/.test(name)).reduce((sum, name) => sum + fs.statSync(path.join(book, name)).size, 0)
}

describe('an access log of hundreds of MiB', () => {
  const box = useSandbox()
  let snapshot: Snapshot | undefined
  let preload = ''
  beforeAll(async () => {
    snapshot = await buildSnapshot()
    // Reports the child's peak RSS on exit: the figure the README quotes.
    preload = path.join(snapshot.dir, 'peak-rss.cjs')
    fs.writeFileSync(preload, "process.on('exit', () => process.stderr.write(`\\npeak-rss-kib=${process.resourceUsage().maxRSS}\\n`))\n")
  }, 60_000)
  afterAll(() => removeSnapshot(snapshot))

  const peak = (stderr: string): number => Number(/peak-rss-kib=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1024

  test('a 520 MiB log: list and gc succeed in bounded memory, and gc compacts it', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), Array.from({ length: SPACES / 2 }, (_, i) => `pkg-${i}`))
    makeSpaces(box.store)
    const written = writeHugeLog(box.store, p1, 520 * MiB)
    expect(written).toBeGreaterThan(512 * MiB)

    const list = await scratchCli(snapshot!, box.store, ['list', '--json'], { preload })
    expect(list.stderr).not.toMatch(/ERR_STRING_TOO_LONG|Cannot create a string/)
    expect(list.code).toBe(0)
    const listed = JSON.parse(list.stdout.slice(0, list.stdout.lastIndexOf('}') + 1))
    expect(listed.spaces).toHaveLength(SPACES)
    expect(listed.spaces.filter((s: { verdict: string }) => s.verdict === 'live')).toHaveLength(SPACES / 2)
    const listRss = peak(list.stderr)
    expect(listRss).toBeLessThan(400)

    const gc = await scratchCli(snapshot!, box.store, ['gc', '--json'], { preload })
    expect(gc.code).toBe(0)
    const report = JSON.parse(gc.stdout.slice(0, gc.stdout.lastIndexOf('}') + 1))
    expect(report.spaces.filter((s: { action: string }) => s.action === 'deleted')).toHaveLength(SPACES / 2)
    const gcRss = peak(gc.stderr)
    expect(gcRss).toBeLessThan(400)
    // Compaction: the newest record per (space, caller, project), whatever the log held.
    const after = logBytes(box.store)
    expect(after).toBeLessThan(64 * 1024)
    figure(`access log ${(written / MiB).toFixed(0)} MiB: scratch list ${list.ms} ms, peak RSS ${listRss.toFixed(0)} MiB; ` +
      `scratch gc ${gc.ms} ms, peak RSS ${gcRss.toFixed(0)} MiB; log after gc ${after} bytes`)
  }, 300_000)

  test('a hook-size log (~400 MiB): gc --project returns at once (exit 0, one warning), a background compaction follows, then the next sweep deletes', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), Array.from({ length: SPACES }, (_, i) => `pkg-${i}`))
    makeSpaces(box.store)
    const written = writeHugeLog(box.store, p1, 400 * MiB)
    // The project drops pkg-0 … pkg-19 from its lockfile.
    npmProject(p1, Array.from({ length: SPACES / 2 }, (_, i) => `pkg-${i + SPACES / 2}`))
    const sweep = await scratchCli(snapshot!, box.store, ['gc', '--project', p1], { preload })
    expect(sweep.code).toBe(0)
    expect(sweep.stderr.split('\n').filter((line) => line.startsWith('scratch: warning:'))).toEqual([expect.stringContaining('compacted in the background')])
    const started = Date.now()
    let after = logBytes(box.store)
    while (after > 64 * 1024 && Date.now() - started < 120_000) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      after = logBytes(box.store)
    }
    expect(after).toBeLessThan(64 * 1024)
    const compactedMs = Date.now() - started
    const next = await scratchCli(snapshot!, box.store, ['gc', '--project', p1, '--json'], { preload })
    expect(next.code).toBe(0)
    const report = JSON.parse(next.stdout.slice(0, next.stdout.lastIndexOf('}') + 1))
    expect(report.spaces.filter((s: { action: string }) => s.action === 'deleted')).toHaveLength(SPACES / 2)
    figure(`access log ${(written / MiB).toFixed(0)} MiB: scratch gc --project returned in ${sweep.ms} ms (peak RSS ${peak(sweep.stderr).toFixed(0)} MiB, sweep deferred), ` +
      `background compaction to ${after} bytes in ${compactedMs} ms; the next sweep deleted ${SPACES / 2} spaces in ${next.ms} ms`)
  }, 300_000)

  test('a user who never runs gc: past 8 MiB the runtime compacts the log in the background', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-0'])
    makeSpaces(box.store)
    const written = writeHugeLog(box.store, p1, 9 * MiB)
    const started = Date.now()
    const child = await import('node:child_process')
    child.execFileSync(process.execPath, ['-e', `require(${JSON.stringify(snapshot!.index)}).getScratch('fresh', { name: 'pkg-0' })`], {
      env: { ...process.env, SCRATCHSPACE_DIR: box.store },
    })
    let after = logBytes(box.store)
    while (after > 64 * 1024 && Date.now() - started < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      after = logBytes(box.store)
    }
    expect(after).toBeLessThan(64 * 1024)
    const records = fs.readFileSync(path.join(bookkeepingDir(box.store), 'access.compact.log'), 'utf8').trim().split('\n')
    expect(records.length).toBeLessThanOrEqual(SPACES + 2)
    expect(records.some((line) => line.includes('pkg-0/fresh'))).toBe(true)
    figure(`access log ${(written / MiB).toFixed(0)} MiB, no gc ever run: one getScratch started a background compaction, log ${after} bytes after ${Date.now() - started} ms`)
  }, 120_000)
})
