// The size budget (`--max-size`, SCRATCHSPACE_MAX_SIZE) end to end on a real store: live spaces
// (kept alive by recent unattributed records, so no package manager is needed), real sizes.
import fs from 'node:fs'
import path from 'node:path'
import { ScratchError } from '../../src/errors'
import { parseSize } from '../../src/gc/budget'
import { requestBudgetGc } from '../../src/gc/budget-worker'
import { runGc, scopedSweep } from '../../src/gc'
import { useSandbox } from '../runtime/support'
import { DAY, makeSpace, recordUse } from './support'
import { bookkeepingDir } from '../../src/runtime/layout'

const box = useSandbox()
afterEach(() => { delete process.env.SCRATCHSPACE_MAX_SIZE })

/** Four live spaces, least recently used first: a (20 days), b (10), c (5), d (1 day). */
function fourLiveSpaces(): Record<string, string> {
  const dirs: Record<string, string> = {}
  for (const [key, days, bytes] of [['a', 20, 4000], ['b', 10, 3000], ['c', 5, 2000], ['d', 1, 1000]] as const) {
    dirs[key] = makeSpace(box.store, 'pkg-x', key, bytes)
    recordUse(box.store, { owner: 'pkg-x', key }, null, Date.now() - days * DAY)
  }
  return dirs
}

async function sizes(): Promise<{ bytes: Record<string, number>; total: number }> {
  const report = await runGc({ dryRun: true, maxSizeBytes: null })
  const bytes = Object.fromEntries(report.spaces.map((s) => [s.key, s.bytes]))
  return { bytes, total: report.spaces.reduce((sum, s) => sum + s.bytes, 0) }
}

const onDisk = (dirs: Record<string, string>): string[] => Object.keys(dirs).filter((key) => fs.existsSync(dirs[key]))

describe('--max-size: least recently used live spaces go until the store fits', () => {
  test('exactly enough: a budget one byte short of dropping a alone deletes a and b, in that order, and nothing else', async () => {
    const dirs = fourLiveSpaces()
    const { bytes, total } = await sizes()
    expect(bytes.a).toBeGreaterThan(0)
    const fitsWithoutA = await runGc({ dryRun: true, maxSizeBytes: total - bytes.a })
    expect(fitsWithoutA.spaces.filter((s) => s.action === 'delete').map((s) => s.key)).toEqual(['a'])
    const report = await runGc({ maxSizeBytes: total - bytes.a - 1 })
    expect(report.spaces.map((s) => [s.key, s.action])).toEqual([['a', 'deleted'], ['b', 'deleted'], ['c', 'keep'], ['d', 'keep']])
    expect(report.freedBytes).toBeGreaterThanOrEqual(bytes.a + bytes.b - 2 * 4096)
    expect(onDisk(dirs)).toEqual(['c', 'd'])
    // Fits now: a second run deletes nothing.
    expect((await runGc({ maxSizeBytes: total - bytes.a - 1 })).spaces.every((s) => s.action === 'keep')).toBe(true)
  })

  test('a store under its budget loses nothing; no budget (null) ignores the environment', async () => {
    const dirs = fourLiveSpaces()
    const { total } = await sizes()
    expect((await runGc({ maxSizeBytes: total })).spaces.every((s) => s.action === 'keep')).toBe(true)
    process.env.SCRATCHSPACE_MAX_SIZE = '1'
    expect((await runGc({ maxSizeBytes: null })).spaces.every((s) => s.action === 'keep')).toBe(true)
    expect(onDisk(dirs)).toEqual(['a', 'b', 'c', 'd'])
  })

  test('--dry-run shows exactly which, with the budget in the reason and in because; nothing is touched', async () => {
    const dirs = fourLiveSpaces()
    const { bytes, total } = await sizes()
    const budget = total - bytes.a - 1
    const dry = await runGc({ dryRun: true, maxSizeBytes: budget })
    const doomed = dry.spaces.filter((s) => s.action === 'delete')
    expect(doomed.map((s) => s.key)).toEqual(['a', 'b'])
    expect(doomed[0].because).toEqual({ code: 'over-budget', storeBytes: total, budgetBytes: budget, then: { code: 'unattributed-recent', ageMs: expect.any(Number) } })
    expect(doomed[1].because).toMatchObject({ code: 'over-budget', storeBytes: total - bytes.a })
    expect(doomed[0].reason).toMatch(/^over the size budget of .+ \(store: .+\), least recently used first; used outside any project 20 days ago$/)
    expect(onDisk(dirs)).toEqual(['a', 'b', 'c', 'd'])
    const real = await runGc({ maxSizeBytes: budget })
    expect(real.spaces.filter((s) => s.action === 'deleted').map((s) => s.key)).toEqual(['a', 'b'])
  })

  test('never a space used after the run started: it is kept, and what was chosen is not replaced by more', async () => {
    const dirs = fourLiveSpaces()
    const { bytes, total } = await sizes()
    // A use of a, recorded while the run judges its spaces (after its start).
    let used = false
    const report = await runGc({
      maxSizeBytes: total - bytes.a - 1,
      onProgress: () => {
        if (!used) recordUse(box.store, { owner: 'pkg-x', key: 'a' }, null)
        used = true
      },
    })
    expect(report.spaces.map((s) => [s.key, s.action, s.because?.code])).toEqual([
      ['a', 'keep', 'race-guard'], ['b', 'deleted', 'over-budget'], ['c', 'keep', 'unattributed-recent'], ['d', 'keep', 'unattributed-recent'],
    ])
    expect(report.spaces[0].reason).toBe('used during this gc run')
    expect(onDisk(dirs)).toEqual(['a', 'c', 'd'])
  })

  test('the rules come first: an orphan deleted by them counts as gone before any live space is chosen', async () => {
    const dirs = fourLiveSpaces()
    const { total } = await sizes()
    const orphan = makeSpace(box.store, 'pkg-gone', 'big', 5000)
    recordUse(box.store, { owner: 'pkg-gone', key: 'big' }, null, Date.now() - 60 * DAY)
    const report = await runGc({ maxSizeBytes: total })
    expect(report.spaces.map((s) => [s.key, s.action, s.because?.code])).toEqual([
      ['big', 'deleted', 'not-installed'],
      ['a', 'keep', 'unattributed-recent'], ['b', 'keep', 'unattributed-recent'], ['c', 'keep', 'unattributed-recent'], ['d', 'keep', 'unattributed-recent'],
    ])
    expect(fs.existsSync(orphan)).toBe(false)
    expect(onDisk(dirs)).toEqual(['a', 'b', 'c', 'd'])
  })

  test('SCRATCHSPACE_MAX_SIZE applies to every gc without the option', async () => {
    const dirs = fourLiveSpaces()
    const { bytes, total } = await sizes()
    process.env.SCRATCHSPACE_MAX_SIZE = String(total - bytes.a)
    expect((await runGc()).spaces.filter((s) => s.action === 'deleted').map((s) => s.key)).toEqual(['a'])
    expect(onDisk(dirs)).toEqual(['b', 'c', 'd'])
  })

  test('a bad SCRATCHSPACE_MAX_SIZE is ERR_SCRATCH_USAGE naming it, and nothing is touched', async () => {
    const dirs = fourLiveSpaces()
    const before = fs.readdirSync(bookkeepingDir(box.store)).sort()
    process.env.SCRATCHSPACE_MAX_SIZE = '5 gigs'
    const err = await runGc().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ScratchError)
    expect(err).toMatchObject({ code: 'ERR_SCRATCH_USAGE', message: expect.stringContaining('"5 gigs" for SCRATCHSPACE_MAX_SIZE') })
    expect((err as ScratchError).hint).toMatch(/KiB/)
    expect(fs.readdirSync(bookkeepingDir(box.store)).sort()).toEqual(before)
    expect(onDisk(dirs)).toEqual(['a', 'b', 'c', 'd'])
  })

  test('the install-time sweep sizes nothing it keeps and hands the budget on (warning only for a bad one)', () => {
    fourLiveSpaces()
    process.env.SCRATCHSPACE_MAX_SIZE = '1'
    const project = path.join(box.tmp, 'p')
    fs.mkdirSync(project)
    const report = scopedSweep({ projectDir: project, names: ['p'] })
    expect(report.spaces).toEqual([])
    expect(report.warnings).toEqual([])
    process.env.SCRATCHSPACE_MAX_SIZE = 'lots'
    const warned = scopedSweep({ projectDir: project, names: ['p'] })
    expect(warned.warnings).toEqual([expect.stringMatching(/^Invalid size "lots" for SCRATCHSPACE_MAX_SIZE.*; the size budget is not applied$/)])
    // From the sources there is no gc bundle to start; the built package's run is in test/stress/budget.test.ts.
    expect(requestBudgetGc(box.store, 1)).toBe(false)
  })
})

describe('parseSize: one parser for the flag and the environment', () => {
  test.each([
    ['1048576', 1048576], ['500MiB', 500 * 2 ** 20], ['5GiB', 5 * 2 ** 30], ['1.5GB', 1.5e9], ['800M', 800 * 2 ** 20],
    ['2 kb', 2000], ['10K', 10240], ['1TiB', 2 ** 40], ['3tb', 3e12], ['100B', 100], [' 7gib ', 7 * 2 ** 30], ['.5KiB', 512],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseSize(text, '--max-size')).toBe(bytes)
  })

  test.each(['', 'abc', '5XB', '-1', '1e9', '5 GiB GiB', '0', '0MiB', '0.0001B', '99999999999999TB', 'GiB'])('%j is ERR_SCRATCH_USAGE naming the value', (text) => {
    expect(() => parseSize(text, '--max-size')).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_USAGE', message: expect.stringContaining(`${JSON.stringify(text)} for --max-size`) }))
  })
})
