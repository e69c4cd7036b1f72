/**
 * The full gc lists the store once, for its spaces and for the leftovers of killed writers, and
 * looks at a space's directory only when its verdict needs it or the space is deleted or sized
 * (docs/design.md, "The warm gc"). Guarantees kept: nothing is removed through a link, an
 * orphan is never deleted without being looked at, a kept space is never entered.
 */
import fs from 'node:fs'
import path from 'node:path'
import { listStore, removeLeftovers } from '../../src/gc/leftovers'
import { readHistory } from '../../src/store/history'
import { sweepSpaces, type SweepPolicy } from '../../src/gc/sweep'
import { asideName } from '../../src/runtime/aside'
import { bookkeepingDir } from '../../src/runtime/layout'
import { scanSpaces } from '../../src/runtime/scan'
import { useSandbox } from '../runtime/support'
import { DAY, age, makeSpace, recordUse } from './support'

// A temp of a writer of this host whose pid no process of the test machine has: it is gone.
const dead = (): string => asideName('x').replace(`-${process.pid}-`, '-999999-')

describe('one listing of the store', () => {
  const box = useSandbox()

  test('finds the spaces scanSpaces finds, and every leftover beside them, judged as before', () => {
    makeSpace(box.store, 'pkg-a', 'cache')
    makeSpace(box.store, '@s/pkg-b', 'data')
    makeSpace(box.store, null, 'shared')
    const trash = path.join(box.store, 'pkg-a', '.trash-1-2-3')
    const deadTemp = path.join(box.store, '@s', 'pkg-b', `.data.tmp-${dead()}`)
    const liveTemp = path.join(box.store, '_global', `.shared.tmp-0000000000000-${process.pid}-00000000-abcdef`)
    const oldLiveTemp = path.join(box.store, 'pkg-a', `.cache.tmp-0000000000000-${process.pid}-00000000-fedcba`)
    const bookTemp = path.join(bookkeepingDir(box.store), '.registry.json.tmp')
    for (const dir of [trash, deadTemp, liveTemp, oldLiveTemp]) fs.mkdirSync(dir)
    age(oldLiveTemp, 2 * DAY)
    fs.writeFileSync(bookTemp, '')
    fs.writeFileSync(path.join(box.store, 'pkg-a', '.DS_Store'), '')
    fs.writeFileSync(path.join(box.store, 'pkg-a', 'a-file'), '')
    const { spaces, leftovers } = listStore(box.store, Date.now())
    expect(spaces).toEqual(scanSpaces(box.store))
    expect(spaces.map((s) => `${s.owner}/${s.key}`)).toEqual(['/shared', '@s/pkg-b/data', 'pkg-a/cache'].map((id) => id.startsWith('/') ? `null${id}` : id))
    const byFile = Object.fromEntries(leftovers.map((l) => [l.file, l.removable]))
    expect(byFile).toEqual({ [bookTemp]: true, [trash]: true, [deadTemp]: true, [liveTemp]: false, [oldLiveTemp]: true })
    expect(removeLeftovers(box.store, leftovers)).toBe(0)
    for (const gone of [bookTemp, trash, deadTemp, oldLiveTemp]) expect(fs.existsSync(gone)).toBe(false)
    expect(fs.existsSync(liveTemp)).toBe(true)
  })

  test('lists spaces in `<owner>/<key>` order, for owners that begin one another and keys of every allowed character', () => {
    const owners = [null, 'pkg', 'pkg-a', 'pkg.b', 'pkg_c', 'pkg~d', 'pkg0', 'pk', '@s/x', '@s/x-y', '@s-t/x', '@s.t/x', '@s/xy', 'a', 'z9']
    const keys = ['k', 'k-1', 'k.1', 'k_1', 'K', '_k', '9', 'k1', 'kk']
    for (const owner of owners) for (const key of keys) makeSpace(box.store, owner, key)
    const ids = (list: { owner: string | null; key: string }[]): string[] => list.map((s) => `${s.owner ?? ''}/${s.key}`)
    const listed = ids(listStore(box.store, Date.now()).spaces)
    expect(listed).toHaveLength(owners.length * keys.length)
    expect(listed).toEqual([...listed].sort((a, b) => (a < b ? -1 : 1)))
    expect(ids(scanSpaces(box.store))).toEqual(listed)
    // Paths as path.join makes them, from a root given with a trailing separator too.
    for (const space of scanSpaces(`${box.store}${path.sep}`)) expect(space.path).toBe(path.join(box.store, ...(space.owner ?? '_global').split('/'), space.key))
  })

  test('a leftover whose namespace became a link after the listing is not removed, nor anything it points at', () => {
    makeSpace(box.store, 'pkg-a', 'cache')
    fs.mkdirSync(path.join(box.store, 'pkg-a', '.trash-1-2-3'))
    const { leftovers } = listStore(box.store, Date.now())
    expect(leftovers.map((l) => path.basename(l.file))).toEqual(['.trash-1-2-3'])
    // Another program's directory, with an entry of the same name, swapped in for the namespace.
    const outside = path.join(box.tmp, 'outside')
    fs.mkdirSync(path.join(outside, '.trash-1-2-3'), { recursive: true })
    fs.renameSync(path.join(box.store, 'pkg-a'), path.join(box.tmp, 'moved'))
    fs.symlinkSync(outside, path.join(box.store, 'pkg-a'))
    expect(removeLeftovers(box.store, leftovers)).toBe(0)
    expect(fs.existsSync(path.join(outside, '.trash-1-2-3'))).toBe(true)
  })
})

describe('the sweep looks at a space only when it must', () => {
  const box = useSandbox()

  function policy(over: Partial<SweepPolicy> = {}): SweepPolicy {
    return {
      root: box.store, runStart: Date.now(), runStartFs: Date.now() + DAY, dryRun: false, now: Date.now(), liveNames: new Map([['pkg-live', '/p']]),
      projectStatus: new Map(), graceMs: 0, marks: {}, touchedSinceStart: () => new Set(), deadline: Infinity, sizeKept: false, removeNowUpTo: Infinity, ...over,
    }
  }

  test('after the listing, a vanished kept space is still reported kept (unsized); a vanished orphan is not reported', () => {
    makeSpace(box.store, 'pkg-live', 'cache')
    makeSpace(box.store, 'pkg-gone', 'cache')
    recordUse(box.store, { owner: 'pkg-live', key: 'cache' }, null)
    recordUse(box.store, { owner: 'pkg-gone', key: 'cache' }, null, Date.now() - 60 * DAY)
    const spaces = scanSpaces(box.store)
    for (const owner of ['pkg-live', 'pkg-gone']) fs.rmSync(path.join(box.store, owner), { recursive: true })
    const { reports } = sweepSpaces(spaces, readHistory(box.store), policy())
    expect(reports.map((r) => [r.owner, r.action, r.sized])).toEqual([['pkg-live', 'keep', false]])
  })

  test('a namespace swapped for a link after the listing: its orphan is neither judged nor deleted, nothing outside is touched', () => {
    makeSpace(box.store, 'pkg-gone', 'cache')
    makeSpace(box.store, 'pkg-live', 'cache')
    recordUse(box.store, { owner: 'pkg-gone', key: 'cache' }, null, Date.now() - 60 * DAY)
    recordUse(box.store, { owner: 'pkg-live', key: 'cache' }, null)
    const spaces = scanSpaces(box.store)
    const outside = path.join(box.tmp, 'outside')
    for (const owner of ['pkg-gone', 'pkg-live']) {
      fs.mkdirSync(path.join(outside, owner, 'cache'), { recursive: true })
      fs.writeFileSync(path.join(outside, owner, 'cache', 'theirs'), 'x')
      fs.renameSync(path.join(box.store, owner), path.join(box.tmp, `moved-${owner}`))
      fs.symlinkSync(path.join(outside, owner), path.join(box.store, owner))
    }
    const { reports } = sweepSpaces(spaces, readHistory(box.store), policy({ sizeKept: false }))
    // The live one is judged from its records alone and kept, unsized: nothing behind the link is read.
    expect(reports.map((r) => [r.owner, r.action])).toEqual([['pkg-live', 'keep']])
    for (const owner of ['pkg-gone', 'pkg-live']) expect(fs.readFileSync(path.join(outside, owner, 'cache', 'theirs'), 'utf8')).toBe('x')
  })

  test('an untracked space is still judged by its mtime, and a tracked one sized when asked', () => {
    const fresh = makeSpace(box.store, 'pkg-new', 'cache')
    makeSpace(box.store, 'pkg-old', 'cache', 100, 30 * DAY)
    makeSpace(box.store, 'pkg-live', 'cache', 300)
    recordUse(box.store, { owner: 'pkg-live', key: 'cache' }, null)
    const { reports } = sweepSpaces(scanSpaces(box.store), readHistory(box.store), policy({ dryRun: true, sizeKept: true }))
    expect(reports.map((r) => [r.owner, r.because?.code, r.action, r.bytes])).toEqual([
      ['pkg-live', 'owner-installed', 'keep', 300], ['pkg-new', 'untracked-recent', 'keep', 100], ['pkg-old', 'untracked-stale', 'delete', 100],
    ])
    expect(fs.existsSync(fresh)).toBe(true)
  })
})
