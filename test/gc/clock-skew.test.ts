import fs from 'node:fs'
import path from 'node:path'
import { runGc } from '../../src/gc'
import { decodeLine, encodeRecord } from '../../src/runtime/access-log'
import { useSandbox } from '../runtime/support'
import { DAY, makeSpace, npmProject, recordUse } from './support'

const YEAR = 365 * DAY

describe('clock skew: future times count as now, impossible times prove nothing', () => {
  const box = useSandbox()

  test('a record dated years ahead keeps a space only as long as a record of today would, and is shown as now', async () => {
    const space = makeSpace(box.store, 'gone-pkg', 'cache')
    recordUse(box.store, { owner: 'gone-pkg', key: 'cache' }, null, Date.now() + 10 * YEAR)
    const first = await runGc()
    expect(first.spaces[0]).toMatchObject({ action: 'keep', reason: 'used outside any project less than an hour ago' })
    expect(Math.abs(Date.parse(first.spaces[0].lastAccess!) - Date.now())).toBeLessThan(60_000)
    // Not "just now" forever: 31 days later the unattributed use has expired.
    const later = await runGc({ now: Date.now() + 31 * DAY })
    expect(later.spaces[0]).toMatchObject({ action: 'deleted' })
    expect(fs.existsSync(space)).toBe(false)
  })

  test('an untracked space with an mtime years ahead ages from the day the gc first saw it', async () => {
    const space = makeSpace(box.store, 'gone-pkg', 'cache')
    const future = new Date(Date.now() + 10 * YEAR)
    fs.utimesSync(space, future, future)
    const dry = await runGc({ dryRun: true })
    expect(Math.abs(Date.parse(dry.spaces[0].lastAccess!) - Date.now())).toBeLessThan(60_000)
    expect(Math.round(fs.statSync(space).mtimeMs)).toBe(future.getTime())
    const first = await runGc()
    expect(first.spaces[0]).toMatchObject({ action: 'keep', reason: expect.stringMatching(/^untracked, modified less than an hour ago/) })
    expect(fs.statSync(space).mtimeMs).toBeLessThan(Date.now() + 60_000)
    const later = await runGc({ now: Date.now() + 8 * DAY })
    expect(later.spaces[0]).toMatchObject({ action: 'deleted' })
  })

  test('a 1970-dated record cannot get a live space deleted by --max-age: it is damaged and ignored', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    const space = makeSpace(box.store, 'pkg-a', 'cache')
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1, 0)
    const report = await runGc({ maxAgeMs: 30 * DAY })
    expect(report.spaces[0]).toMatchObject({ verdict: 'live', action: 'keep', tracked: false })
    expect(report.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^skipped 1 damaged line/)]))
    expect(fs.existsSync(space)).toBe(true)
  })

  test('a space whose mtime is impossible (1970) is kept, never aged by --max-age or the untracked rule', async () => {
    const space = makeSpace(box.store, 'gone-pkg', 'cache')
    fs.utimesSync(space, new Date(0), new Date(0))
    const report = await runGc({ maxAgeMs: DAY })
    expect(report.spaces[0]).toMatchObject({ action: 'keep', reason: expect.stringContaining('impossible') })
    expect(fs.existsSync(space)).toBe(true)
  })

  test('times before 2000 or not ISO are damaged records; later ones are sound', () => {
    const base = { t: 'access' as const, space: 'pkg-a/cache', owner: 'pkg-a', caller: 'pkg-a', project: null, pid: 1 }
    for (const time of ['1970-01-01T00:00:00.000Z', '1999-12-31T23:59:59.999Z', 'yesterday', '2026-13-45T00:00:00Z', 'Tue, 01 Dec 2026 10:00:00 GMT', '']) {
      expect(decodeLine(encodeRecord({ ...base, time }).trimEnd())).toBeNull()
    }
    for (const time of ['2000-01-01T00:00:00.000Z', '2026-12-01T10:00:00Z', '2099-01-01T00:00:00.000Z']) {
      expect(decodeLine(encodeRecord({ ...base, time }).trimEnd())).not.toBeNull()
    }
  })
})
