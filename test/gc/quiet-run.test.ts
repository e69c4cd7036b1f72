/**
 * A full gc over a history that is all compacted (a gc again after one, nothing used since) rotates
 * nothing and rewrites neither the log nor the registry when it would write the same again; it
 * still compacts when it leaves records to drop (docs/design.md, "The warm gc").
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { runGc } from '../../src/gc'
import { loadRegistry, saveRegistry } from '../../src/store/registry'
import { bookkeepingDir } from '../../src/runtime/layout'
import { useSandbox } from '../runtime/support'
import { DAY, makeSpace, npmProject, projectUsingAandB, recordUse } from './support'

describe('a full gc with nothing beyond the compacted log', () => {
  const box = useSandbox()
  const book = (): string => bookkeepingDir(box.store)
  const file = (name: string): string => path.join(book(), name)
  /** The file's identity and times: equal only if it was not rewritten (atomic writes make a new inode). */
  const identity = (name: string): string => {
    const stat = fs.statSync(file(name), { bigint: true })
    return `${stat.ino}:${stat.mtimeNs}:${stat.ctimeNs}`
  }
  const logFiles = (): string[] => fs.readdirSync(book()).filter((name) => name.startsWith('access.')).sort()
  const compacted = (): string => fs.readFileSync(file('access.compact.log'), 'utf8')

  test('a second gc with nothing changed rewrites neither the compacted log, its snapshot nor the registry, and rotates nothing', async () => {
    projectUsingAandB(box.tmp, box.store)
    const first = await runGc({ root: box.store })
    expect(logFiles()).toEqual(['access.compact.folded.json', 'access.compact.log'])
    const unchanged = ['access.compact.log', 'access.compact.folded.json', 'registry.json', 'orphans.json']
    const before = unchanged.map(identity)
    const lastGc = identity('last-gc.json')
    const second = await runGc({ root: box.store })
    expect(second.spaces).toEqual(first.spaces)
    expect(second.projects).toEqual(first.projects)
    expect(unchanged.map(identity)).toEqual(before)
    expect(logFiles()).toEqual(['access.compact.folded.json', 'access.compact.log'])
    // The run is still recorded (the upkeep's cadence reads it).
    expect(identity('last-gc.json')).not.toEqual(lastGc)
  })

  test('a use since the last gc makes the next one rotate and compact as before', async () => {
    const { p1 } = projectUsingAandB(box.tmp, box.store)
    await runGc({ root: box.store })
    const before = identity('access.compact.log')
    recordUse(box.store, { owner: 'pkg-a', key: 'other' }, p1)
    makeSpace(box.store, 'pkg-a', 'other')
    await runGc({ root: box.store })
    expect(identity('access.compact.log')).not.toEqual(before)
    expect(compacted()).toContain('pkg-a/other')
    expect(logFiles()).toEqual(['access.compact.folded.json', 'access.compact.log'])
  })

  test('a space it deletes has its records dropped from the compacted log', async () => {
    const { a, b } = projectUsingAandB(box.tmp, box.store)
    await runGc({ root: box.store })
    expect(compacted()).toContain('pkg-a/cache')
    // The project drops pkg-a: its names change, no space was used since.
    npmProject(path.join(box.tmp, 'p1'), ['pkg-b'])
    const report = await runGc({ root: box.store })
    expect(report.spaces.map((s) => [s.owner, s.action])).toEqual([['pkg-a', 'deleted'], ['pkg-b', 'keep']])
    expect(fs.existsSync(a)).toBe(false)
    expect(fs.existsSync(b)).toBe(true)
    expect(compacted()).not.toContain('pkg-a/cache')
    expect(compacted()).toContain('pkg-b/cache')
    // The registry holds the project's new names.
    expect(fs.readFileSync(file('registry.json'), 'utf8')).not.toContain('"pkg-a"')
  })

  test('a space removed by hand has its records dropped too', async () => {
    const { a } = projectUsingAandB(box.tmp, box.store)
    await runGc({ root: box.store })
    fs.rmSync(a, { recursive: true })
    await runGc({ root: box.store })
    expect(compacted()).not.toContain('pkg-a/cache')
    const before = identity('access.compact.log')
    await runGc({ root: box.store })
    expect(identity('access.compact.log')).toEqual(before)
  })

  test('the records of a project that is gone are forgotten', async () => {
    projectUsingAandB(box.tmp, box.store)
    const p2 = npmProject(path.join(box.tmp, 'p2'), ['pkg-b'])
    recordUse(box.store, { owner: 'pkg-b', key: 'cache' }, p2)
    await runGc({ root: box.store })
    expect(compacted()).toContain(p2)
    fs.rmSync(p2, { recursive: true })
    const report = await runGc({ root: box.store })
    expect(report.projects).toContainEqual(expect.objectContaining({ dir: p2, status: 'gone' }))
    expect(compacted()).not.toContain(p2)
    // Gone from the registry as well, so the next run does not report it again.
    const again = await runGc({ root: box.store })
    expect(again.projects.map((p) => p.dir)).not.toContain(p2)
  })

  test('a snapshot that is not the log\'s (a copied store) is written again', async () => {
    projectUsingAandB(box.tmp, box.store)
    await runGc({ root: box.store })
    // A copy is another file: the snapshot vouches for the original's inode and times.
    const copy = path.join(box.tmp, 'copy.log')
    fs.copyFileSync(file('access.compact.log'), copy)
    fs.renameSync(copy, file('access.compact.log'))
    const before = identity('access.compact.folded.json')
    await runGc({ root: box.store })
    expect(identity('access.compact.folded.json')).not.toEqual(before)
    // Now it holds, and the run after writes nothing.
    const settled = ['access.compact.log', 'access.compact.folded.json'].map(identity)
    await runGc({ root: box.store })
    expect(['access.compact.log', 'access.compact.folded.json'].map(identity)).toEqual(settled)
  })

  test('orphan marks are written when they change: a space marked in its grace period, then one unmarked', async () => {
    const { a } = projectUsingAandB(box.tmp, box.store)
    await runGc({ root: box.store, graceMs: DAY })
    const marks = (): Record<string, number> => JSON.parse(fs.readFileSync(file('orphans.json'), 'utf8')).marks
    expect(marks()).toEqual({})
    npmProject(path.join(box.tmp, 'p1'), ['pkg-b'])
    await runGc({ root: box.store, graceMs: DAY })
    expect(Object.keys(marks())).toEqual(['pkg-a/cache'])
    expect(fs.existsSync(a)).toBe(true)
    npmProject(path.join(box.tmp, 'p1'), ['pkg-a', 'pkg-b'])
    await runGc({ root: box.store, graceMs: DAY })
    expect(marks()).toEqual({})
  })

  test('damaged orphan marks are written again, reset', async () => {
    projectUsingAandB(box.tmp, box.store)
    await runGc({ root: box.store })
    fs.writeFileSync(file('orphans.json'), '{"version":1,"marks":{}}')
    const report = await runGc({ root: box.store })
    expect(report.warnings.join(' ')).toContain('orphan marks were damaged')
    expect(JSON.parse(fs.readFileSync(file('orphans.json'), 'utf8'))).toHaveProperty('checksum')
  })

  test('a registry with a delta is written whole, folding it, even when nothing changed', async () => {
    const { p1 } = projectUsingAandB(box.tmp, box.store)
    await runGc({ root: box.store })
    // A save against the file as loaded writes what changed as its delta: here nothing, which a
    // later run's entries would match too (a sweep's delta of stamps the gc then takes again).
    const loaded = loadRegistry(box.store)
    if (loaded.state !== 'ok') throw new Error(loaded.state)
    saveRegistry(box.store, loaded.value, loaded.value)
    expect(fs.existsSync(file('registry.delta.json'))).toBe(true)
    const before = identity('registry.json')
    await runGc({ root: box.store })
    expect(identity('registry.json')).not.toEqual(before)
    expect(fs.existsSync(file('registry.delta.json'))).toBe(false)
    expect(fs.readFileSync(file('registry.json'), 'utf8')).toContain(p1)
  })

  test('a record appended during the run keeps its space, and stays in the live log for the next run', async () => {
    const { a, p1 } = projectUsingAandB(box.tmp, box.store)
    await runGc({ root: box.store })
    npmProject(path.join(box.tmp, 'p1'), ['pkg-b'])
    const realLstat = fs.lstatSync
    let done = false
    jest.spyOn(fs, 'lstatSync').mockImplementation(((target: fs.PathLike, opts?: fs.StatSyncOptions) => {
      if (!done && String(target) === a) { done = true; recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1) }
      return realLstat(target, opts)
    }) as typeof fs.lstatSync)
    const report = await runGc({ root: box.store })
    jest.restoreAllMocks()
    expect(done).toBe(true)
    expect(report.spaces[0]).toMatchObject({ owner: 'pkg-a', verdict: 'orphaned', action: 'keep', reason: 'used during this gc run' })
    expect(fs.existsSync(a)).toBe(true)
    expect(fs.readFileSync(file('access.log'), 'utf8')).toContain('pkg-a/cache')
  })
  test.each([
    ['a link to an empty file', (live: string, tmp: string): void => { fs.writeFileSync(path.join(tmp, 'outside.log'), ''); fs.symlinkSync(path.join(tmp, 'outside.log'), live) }],
    ['a dangling link', (live: string, tmp: string): void => fs.symlinkSync(path.join(tmp, 'nowhere.log'), live)],
    ['a FIFO', (live: string): void => { execFileSync('mkfifo', [live]) }],
    // A socket cannot be opened at all (ENXIO): the rotated segment counts as one damaged line and goes.
    ['a socket', (live: string): void => {
      execFileSync(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(live)}, () => process.exit(0))`])
    }],
  ])('%s planted as the live log is rotated away, so later uses are recorded and keep their space', async (_what, plant) => {
    const space = makeSpace(box.store, 'pkg-x', 'cache')
    // Unattributed and 29 days old: kept only while a use within 30 days is on record.
    recordUse(box.store, { owner: 'pkg-x', key: 'cache' }, null, Date.now() - 29 * DAY)
    await runGc({ root: box.store })
    plant(file('access.log'), box.tmp)
    await runGc({ root: box.store })
    expect(fs.lstatSync(file('access.log'), { throwIfNoEntry: false })).toBeUndefined()
    recordUse(box.store, { owner: 'pkg-x', key: 'cache' }, null)
    const report = await runGc({ root: box.store, now: Date.now() + 2 * DAY })
    expect(report.spaces[0]).toMatchObject({ owner: 'pkg-x', action: 'keep' })
    expect(fs.existsSync(space)).toBe(true)
  })
})
