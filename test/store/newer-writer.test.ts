/**
 * A store shared with a newer version of the package: records and state files it wrote that this
 * version cannot understand (a valid checksum, an unknown shape or version) make every run
 * read-only for deletion, as a newer `format` does (docs/design.md, "Record versions").
 */
import fs from 'node:fs'
import path from 'node:path'
import { runGc, scopedSweep } from '../../src/gc'
import { lastSweepPath, readLastSweep, recordLastSweep } from '../../src/gc/last-sweep'
import { getScratch } from '../../src'
import { checksum } from '../../src/runtime/checksum'
import { sealedJson } from '../../src/store/atomic'
import { scratch } from '../cli/support'
import { useSandbox } from '../runtime/support'
import { DAY, makeSpace, npmProject, recordUse } from '../gc/support'
import { bookkeepingDir } from '../../src/runtime/layout'

/** A log line as a writer makes it: `<checksum> <json>`. */
const line = (json: string): string => `${checksum(json)} ${json}\n`
const TIME = new Date().toISOString()
const access = { t: 'access', space: 'pkg-a/cache', owner: 'pkg-a', caller: 'pkg-a', project: '/work/p', time: TIME, pid: 1 }

/** Records a newer writer could append, each with a valid checksum, and what the warning must name. */
const NEWER_RECORDS: Array<[string, string, RegExp]> = [
  ['an unknown field', JSON.stringify({ ...access, size: 1024 }), /unknown field "size" in an access record/],
  ['an unknown kind', JSON.stringify({ t: 'evict', space: 'pkg-a/cache', time: TIME, pid: 1 }), /a record of unknown kind "evict"/],
  ['a field of another type', JSON.stringify({ ...access, pid: '1' }), /field "pid" of an access record is string/],
  ['a missing field', JSON.stringify({ t: 'project', project: '/work/p', time: TIME }), /a project record without field "pid"/],
  ['a newer record version', JSON.stringify({ v: 2, ...access }), /an access record of version 2 \(this version reads 1\)/],
  ['JSON that is not an object', '["access","pkg-a/cache"]', /not a JSON object/],
]

describe('a newer writer', () => {
  const box = useSandbox()

  /** p1 uses pkg-a (live); gone-pkg/cache was used from a project that is gone, and an untracked space is 30 days old: both doomed. */
  function store(): { live: string; doomed: string[]; p1: string } {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    const live = makeSpace(box.store, 'pkg-a', 'cache')
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1)
    const gone = makeSpace(box.store, 'gone-pkg', 'cache')
    recordUse(box.store, { owner: 'gone-pkg', key: 'cache' }, path.join(box.tmp, 'gone-project'), Date.now() - 3 * DAY)
    return { live, p1, doomed: [gone, makeSpace(box.store, 'old-pkg', 'data', 10, 30 * DAY)] }
  }
  const logFile = (): string => path.join(bookkeepingDir(box.store), 'access.log')
  /** Every line of every access-log file, sorted (a run may rotate the live log into a segment). */
  const logLines = (): string[] => fs.readdirSync(bookkeepingDir(box.store)).filter((name) => name.startsWith('access'))
    .flatMap((name) => fs.readFileSync(path.join(bookkeepingDir(box.store), name), 'utf8').split('\n').filter((l) => l !== '')).sort()

  test.each(NEWER_RECORDS)('a record with %s and a valid checksum: gc and the sweep delete nothing, say which line, and keep the line', async (_what, json, named) => {
    const { live, doomed, p1 } = store()
    fs.appendFileSync(logFile(), line(json))
    const before = logLines()

    const gc = await runGc()
    expect(gc.dryRun).toBe(false)
    expect(gc.warnings).toEqual([expect.stringMatching(new RegExp(`/access(\\.seg-[0-9a-z-]+)?\\.log line 3: ${named.source}, which this version of pnpm-plugin-scratch does not understand: a newer version wrote it; this run deletes nothing and rewrites no state`))])
    expect(gc.spaces.filter((s) => s.verdict === 'orphaned').map((s) => s.action)).toEqual(['keep', 'keep'])
    for (const dir of [live, ...doomed]) expect(fs.existsSync(dir)).toBe(true)
    // The newer writer's line is still in the log (nothing was compacted), and no state was written.
    expect(logLines()).toEqual(before)
    expect(fs.existsSync(path.join(bookkeepingDir(box.store), 'registry.json'))).toBe(false)
    expect(fs.existsSync(path.join(bookkeepingDir(box.store), 'orphans.json'))).toBe(false)

    const sweep = scopedSweep({ projectDir: p1, names: [] })
    expect(sweep.warnings).toEqual([expect.stringMatching(named)])
    expect(sweep.spaces).toEqual([])
    for (const dir of [live, ...doomed]) expect(fs.existsSync(dir)).toBe(true)
    // getScratch keeps working, and its records still land.
    expect(fs.statSync(getScratch('new', { name: 'my-lib' })).isDirectory()).toBe(true)
  })

  test('the same line with a bad checksum is only damaged: the run deletes the orphans and counts it', async () => {
    const { live, doomed } = store()
    const json = JSON.stringify({ ...access, size: 1024 })
    fs.appendFileSync(logFile(), `${checksum(json + ' ')} ${json}\n`)
    const gc = await runGc()
    expect(gc.warnings).toEqual(['skipped 1 damaged line(s) in the access log'])
    expect(fs.existsSync(live)).toBe(true)
    for (const dir of doomed) expect(fs.existsSync(dir)).toBe(false)
  })

  test('a record a newer writer appends while the gc runs makes every space count as used (race guard fails closed)', async () => {
    const { doomed } = store()
    const json = JSON.stringify({ ...access, space: 'gone-pkg/cache', owner: 'gone-pkg', size: 1 })
    const gc = await runGc({
      onProgress: (done, total) => { if (done === total) fs.appendFileSync(logFile(), line(json)) },
    })
    expect(gc.spaces.filter((s) => s.verdict === 'orphaned').map((s) => [s.action, s.reason])).toEqual([
      ['keep', 'used during this gc run'], ['keep', 'used during this gc run'],
    ])
    for (const dir of doomed) expect(fs.existsSync(dir)).toBe(true)
    // The line appended after the run read the log stays in the live log, unchanged.
    expect(fs.readFileSync(logFile(), 'utf8')).toContain(line(json))
  })

  test('dry runs and list still report every space, with the warning', async () => {
    store()
    fs.appendFileSync(logFile(), line(NEWER_RECORDS[0][1]))
    const dry = await runGc({ dryRun: true })
    expect(dry.spaces.map((s) => s.key).sort()).toEqual(['cache', 'cache', 'data'])
    expect(dry.spaces.find((s) => s.owner === 'old-pkg')).toMatchObject({ verdict: 'orphaned', action: 'keep', reason: expect.stringContaining('not deleted: ') })
    expect(dry.warnings).toEqual([expect.stringContaining('unknown field "size"')])
    const list = await scratch(box.store, ['list', '--json'])
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout).spaces).toHaveLength(3)
    expect(list.stderr).toMatch(/^scratch: warning: .*access\.log line 3: unknown field "size"/)
  })

  test('the CLI: gc and gc --project exit 0 with one warning line each and delete nothing', async () => {
    const { doomed, p1 } = store()
    fs.appendFileSync(logFile(), line(NEWER_RECORDS[1][1]))
    const gc = await scratch(box.store, ['gc'])
    expect(gc.code).toBe(0)
    expect(gc.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^scratch: warning: .*unknown kind "evict".*this run deletes nothing/)])
    const sweep = await scratch(box.store, ['gc', '--project', p1])
    expect(sweep.code).toBe(0)
    expect(sweep.stderr.trim().split('\n')).toEqual([expect.stringContaining('unknown kind "evict"')])
    for (const dir of doomed) expect(fs.existsSync(dir)).toBe(true)
  })

  const STATE_FILES: Array<[string, () => string, object]> = [
    ['registry.json', () => path.join(bookkeepingDir(box.store), 'registry.json'), { version: 999, tables: [] }],
    ['orphans.json', () => path.join(bookkeepingDir(box.store), 'orphans.json'), { version: 999, marks: { 'gone-pkg/cache': 1 } }],
    ['last-sweep.json', () => lastSweepPath(box.store), { version: 999, sweeps: [] }],
  ]

  test.each(STATE_FILES)('%s of version 999: gc and the sweep delete nothing, say why, and never rewrite it', async (name, file, content) => {
    const { doomed, p1 } = store()
    const text = sealedJson(content)
    fs.writeFileSync(file(), text)
    const gc = await runGc()
    expect(gc.warnings).toEqual([expect.stringMatching(new RegExp(`${name.replace('.', '\\.')} has version 999, which this version of pnpm-plugin-scratch does not know.*this run deletes nothing`))])
    for (const dir of doomed) expect(fs.existsSync(dir)).toBe(true)
    const sweep = await scratch(box.store, ['gc', '--project', p1])
    expect(sweep.code).toBe(0)
    expect(sweep.stderr).toContain(`${name} has version 999`)
    const full = await scratch(box.store, ['gc', '--json'])
    expect(full.code).toBe(0)
    expect(JSON.parse(full.stdout).spaces.filter((s: { action: string }) => s.action === 'deleted')).toEqual([])
    for (const dir of doomed) expect(fs.existsSync(dir)).toBe(true)
    expect(fs.readFileSync(file(), 'utf8')).toBe(text)
  })

  test('a last-sweep.json without a version (the first writer\'s) reads, and is replaced by one with version 1; a newer one is kept', () => {
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    const record = { at: TIME, project: '/p', deleted: 0, freedBytes: 0, warnings: [] }
    fs.writeFileSync(lastSweepPath(box.store), sealedJson(record))
    expect(readLastSweep(box.store)).toEqual(record)
    expect(recordLastSweep({ ...record, deleted: 2 }, box.store)).toBe(true)
    expect(JSON.parse(fs.readFileSync(lastSweepPath(box.store), 'utf8'))).toMatchObject({ version: 1, deleted: 2 })
    const newer = sealedJson({ version: 2, at: TIME })
    fs.writeFileSync(lastSweepPath(box.store), newer)
    expect(recordLastSweep(record, box.store)).toBe(false)
    expect(readLastSweep(box.store)).toBeNull()
    expect(fs.readFileSync(lastSweepPath(box.store), 'utf8')).toBe(newer)
  })

  test('format 999: gc, gc --project and gc --dry-run exit 0 with the reason, list reports, nothing is deleted', async () => {
    const { doomed, p1 } = store()
    fs.writeFileSync(path.join(bookkeepingDir(box.store), 'format'), '999\n')
    for (const args of [['gc'], ['gc', '--project', p1], ['gc', '--dry-run'], ['list']]) {
      const run = await scratch(box.store, args)
      expect([args, run.code]).toEqual([args, 0])
      expect(run.stderr).toContain('format 999, newer than this version')
    }
    const list = await scratch(box.store, ['list', '--json'])
    expect(JSON.parse(list.stdout).spaces).toHaveLength(3)
    for (const dir of doomed) expect(fs.existsSync(dir)).toBe(true)
    expect(fs.readFileSync(path.join(bookkeepingDir(box.store), 'format'), 'utf8')).toBe('999\n')
  })
})
