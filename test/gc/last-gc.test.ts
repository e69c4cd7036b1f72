/** Every full gc records itself (for `scratch status` and the upkeep's schedule); the upkeep entry point. */
import fs from 'node:fs'
import path from 'node:path'
import { readLastGc } from '../../src/gc/last-gc'
import { runGc } from '../../src/gc/run'
import { upkeepStore } from '../../src/gc/upkeep'
import { useSandbox } from '../runtime/support'
import { DAY, makeSpace, npmProject, recordUse } from './support'
import { bookkeepingDir } from '../../src/runtime/layout'

describe('the last full gc', () => {
  const box = useSandbox()
  const stamp = (): string => path.join(bookkeepingDir(box.store), 'upkeep.stamp')

  test('a dry run records nothing; a real run records when, what it deleted and freed, and moves the upkeep stamp to its time', async () => {
    makeSpace(box.store, 'pkg-old', 'cache', 700, 30 * DAY)
    await runGc({ root: box.store, dryRun: true })
    expect(readLastGc(box.store)).toBeNull()
    expect(fs.existsSync(stamp())).toBe(false)
    const now = Date.now() - 2 * DAY
    await runGc({ root: box.store, now })
    expect(readLastGc(box.store)).toEqual({ at: new Date(now).toISOString(), deleted: 1, freedBytes: 700, warnings: [], automatic: false })
    expect(Math.abs(fs.statSync(stamp()).mtimeMs - now)).toBeLessThan(1000)
  })

  test('a damaged record reads as none', async () => {
    makeSpace(box.store, 'pkg-a', 'cache')
    fs.writeFileSync(path.join(bookkeepingDir(box.store), 'last-gc.json'), '{"at": 5}')
    expect(readLastGc(box.store)).toBeNull()
  })

  test('upkeepStore: a 7-day grace period, recorded as automatic; older claim names go, the newest stays', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-old', 'pkg-new'])
    makeSpace(box.store, 'pkg-old', 'cache', 500)
    makeSpace(box.store, 'pkg-new', 'cache', 300)
    recordUse(box.store, { owner: 'pkg-old', key: 'cache' }, p1)
    recordUse(box.store, { owner: 'pkg-new', key: 'cache' }, p1)
    // pkg-old was uninstalled 8 days ago (marked then), pkg-new just now.
    npmProject(p1, ['pkg-new'])
    await runGc({ root: box.store, now: Date.now() - 8 * DAY, graceMs: 7 * DAY })
    npmProject(p1, [])
    for (const ms of [1000, 2000, 3000]) fs.writeFileSync(`${stamp()}.${ms}`, '')
    await upkeepStore(box.store)
    expect(fs.existsSync(path.join(box.store, 'pkg-old', 'cache'))).toBe(false)
    expect(fs.existsSync(path.join(box.store, 'pkg-new', 'cache'))).toBe(true)
    expect(readLastGc(box.store)).toMatchObject({ deleted: 1, freedBytes: 500, automatic: true })
    expect(fs.readdirSync(bookkeepingDir(box.store)).filter((name) => name.startsWith('upkeep.stamp.'))).toEqual(['upkeep.stamp.3000'])
  })

  test('upkeepStore on another program\'s directory: refused, nothing written, never rejects', async () => {
    fs.mkdirSync(box.store)
    fs.writeFileSync(path.join(box.store, 'notes.txt'), 'mine')
    await expect(upkeepStore(box.store)).resolves.toBeUndefined()
    expect(fs.readdirSync(box.store)).toEqual(['notes.txt'])
  })
})
