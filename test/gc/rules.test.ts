import fs from 'node:fs'
import path from 'node:path'
import { runGc } from '../../src/gc'
import { useSandbox } from '../runtime/support'
import { DAY, age, makeSpace, npmProject, recordUse } from './support'
import { bookkeepingDir } from '../../src/runtime/layout'

describe('gc rules for global, untracked and unattributed spaces, --max-age and dry runs', () => {
  const box = useSandbox()

  test('a global space lives while a project that used it exists', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    makeSpace(box.store, null, 'shared')
    recordUse(box.store, { owner: null, key: 'shared', caller: null }, p1)
    expect((await runGc()).spaces[0]).toMatchObject({ owner: null, verdict: 'live', reason: `used from ${p1}` })
    fs.rmSync(p1, { recursive: true })
    expect((await runGc()).spaces[0]).toMatchObject({ owner: null, verdict: 'orphaned', action: 'deleted' })
  })

  test('unattributed records keep a space for 30 days', async () => {
    makeSpace(box.store, 'pkg-a', 'fresh')
    makeSpace(box.store, 'pkg-a', 'stale')
    recordUse(box.store, { owner: 'pkg-a', key: 'fresh' }, null, Date.now() - 29 * DAY)
    recordUse(box.store, { owner: 'pkg-a', key: 'stale' }, null, Date.now() - 31 * DAY)
    const report = await runGc()
    expect(report.spaces.map((s) => [s.key, s.verdict, s.action])).toEqual([['fresh', 'live', 'keep'], ['stale', 'orphaned', 'deleted']])
  })

  test('an untracked space is kept while modified within 7 days, by mtime', async () => {
    makeSpace(box.store, 'pkg-a', 'new', 10, 6 * DAY)
    makeSpace(box.store, 'pkg-a', 'old', 10, 8 * DAY)
    makeSpace(box.store, null, 'old-global', 10, 8 * DAY)
    const report = await runGc()
    expect(report.spaces.map((s) => [s.owner, s.key, s.tracked, s.verdict, s.action])).toEqual([
      [null, 'old-global', false, 'orphaned', 'deleted'],
      ['pkg-a', 'new', false, 'live', 'keep'],
      ['pkg-a', 'old', false, 'orphaned', 'deleted'],
    ])
  })

  test('--max-age deletes live spaces not used for that long, by record time or (untracked) mtime', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    makeSpace(box.store, 'pkg-a', 'recent')
    makeSpace(box.store, 'pkg-a', 'idle')
    makeSpace(box.store, 'pkg-a', 'untracked', 10, 3 * DAY)
    recordUse(box.store, { owner: 'pkg-a', key: 'recent' }, p1, Date.now() - DAY)
    recordUse(box.store, { owner: 'pkg-a', key: 'idle' }, p1, Date.now() - 10 * DAY)
    const report = await runGc({ maxAgeMs: 2 * DAY })
    expect(report.spaces.map((s) => [s.key, s.verdict, s.action])).toEqual([
      ['idle', 'live', 'deleted'], ['recent', 'live', 'keep'], ['untracked', 'live', 'deleted'],
    ])
  })

  test('a dry run reports the same plan as the real run, and changes nothing', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-b'])
    for (const owner of ['pkg-a', 'pkg-b']) {
      makeSpace(box.store, owner, 'cache', 1000)
      recordUse(box.store, { owner, key: 'cache' }, p1)
    }
    makeSpace(box.store, '@scope/pkg-c', 'models', 10, 9 * DAY)
    const listing = (): string[] => fs.readdirSync(box.store, { recursive: true }).map(String).sort()
    const before = listing()
    const dry = await runGc({ dryRun: true })
    expect(listing()).toEqual(before)
    const real = await runGc()
    const plan = (r: typeof dry) => r.spaces.map((s) => [s.owner, s.key, s.verdict, s.action === 'delete' ? 'deleted' : s.action, s.bytes])
    expect(plan(dry)).toEqual(plan(real))
    expect(dry.freedBytes).toBe(real.freedBytes)
    expect(real.freedBytes).toBe(1010)
    expect(fs.existsSync(path.join(box.store, '@scope'))).toBe(false)
  })

  test('a symlink inside a space is removed without touching its target, which is not counted', async () => {
    const outside = path.join(box.tmp, 'outside')
    fs.mkdirSync(outside)
    fs.writeFileSync(path.join(outside, 'precious'), Buffer.alloc(5000))
    const space = makeSpace(box.store, 'pkg-a', 'cache', 100, 8 * DAY)
    fs.symlinkSync(outside, path.join(space, 'link'))
    age(space, 8 * DAY)
    const report = await runGc()
    expect(report.spaces[0].action).toBe('deleted')
    expect(report.freedBytes).toBeLessThan(1000)
    expect(fs.readFileSync(path.join(outside, 'precious')).length).toBe(5000)
  })

  test('a space that is itself a symlink is never followed', async () => {
    const outside = path.join(box.tmp, 'outside')
    fs.mkdirSync(outside)
    fs.writeFileSync(path.join(outside, 'precious'), 'keep me')
    fs.mkdirSync(path.join(box.store, 'pkg-a'), { recursive: true })
    fs.mkdirSync(bookkeepingDir(box.store))
    fs.symlinkSync(outside, path.join(box.store, 'pkg-a', 'linked'))
    fs.lutimesSync(path.join(box.store, 'pkg-a', 'linked'), new Date(Date.now() - 8 * DAY), new Date(Date.now() - 8 * DAY))
    const report = await runGc()
    expect(report.spaces[0]).toMatchObject({ key: 'linked', action: 'deleted' })
    expect(fs.readFileSync(path.join(outside, 'precious'), 'utf8')).toBe('keep me')
  })

  test('nothing outside <owner>/<key> spaces is deleted', async () => {
    fs.mkdirSync(box.store, { recursive: true })
    fs.writeFileSync(path.join(box.store, 'README'), 'mine')
    fs.mkdirSync(path.join(box.store, 'Not-A-Package', 'x'), { recursive: true })
    makeSpace(box.store, 'pkg-a', '.hidden', 10, 30 * DAY)
    await runGc()
    expect(fs.readFileSync(path.join(box.store, 'README'), 'utf8')).toBe('mine')
    expect(fs.existsSync(path.join(box.store, 'Not-A-Package', 'x'))).toBe(true)
    expect(fs.existsSync(path.join(box.store, 'pkg-a', '.hidden'))).toBe(true)
  })
})
