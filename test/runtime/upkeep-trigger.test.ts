/**
 * The runtime's periodic-upkeep trigger: a created space claims the store's upkeep stamp once
 * the last full gc (or, for a store that never had one, the store itself) is 7 days old; the
 * claim is atomic, so one process wins. Ages are faked with utimes and `now` inputs.
 */
import fs from 'node:fs'
import path from 'node:path'
import { getScratch } from '../../src'
import { requestUpkeep, UPKEEP_EVERY_MS, UPKEEP_STAMP } from '../../src/runtime/compaction-trigger'
import { mountReadOnly } from '../helpers/mounts'
import { prepareStoreRoot } from '../../src/runtime/store-root'
import { useSandbox } from './support'
import { bookkeepingDir } from '../../src/runtime/layout'

const DAY = 86_400_000

function setAge(file: string, at: number): void {
  fs.utimesSync(file, at / 1000, at / 1000)
}

/** The claim runs on the next turn of the event loop, after the creating call has returned. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

function claims(store: string): string[] {
  return fs.readdirSync(bookkeepingDir(store)).filter((name) => name.startsWith(`${UPKEEP_STAMP}.`))
}

describe('the upkeep trigger', () => {
  const box = useSandbox()
  const stamp = (): string => path.join(bookkeepingDir(box.store), UPKEEP_STAMP)
  const format = (): string => path.join(bookkeepingDir(box.store), 'format')
  // A marked store with no space yet (a getScratch here would already have looked at the stamp).
  const newStore = (): void => { prepareStoreRoot(box.store) }
  let saved: string | undefined
  beforeEach(() => { saved = process.env.SCRATCHSPACE_AUTO_GC; delete process.env.SCRATCHSPACE_AUTO_GC })
  afterEach(() => { if (saved === undefined) delete process.env.SCRATCHSPACE_AUTO_GC; else process.env.SCRATCHSPACE_AUTO_GC = saved })

  test('a store younger than 7 days that never had a gc: nothing is claimed', async () => {
    newStore()
    const now = Date.now()
    setAge(format(), now - 6 * DAY)
    expect(requestUpkeep(box.store, now)).toBe(false)
    expect(fs.existsSync(stamp())).toBe(false)
  })

  test('a store older than 7 days that never had a gc: the stamp is created exclusively, once', async () => {
    newStore()
    const now = Date.now()
    setAge(format(), now - 8 * DAY)
    expect(requestUpkeep(box.store, now)).toBe(true)
    // Scheduled, not yet claimed: the creating call returns first.
    expect(fs.existsSync(stamp())).toBe(false)
    await nextTurn()
    expect(fs.existsSync(stamp())).toBe(true)
    expect(claims(box.store)).toEqual([])
  })

  test('a stale stamp is claimed under its mtime and moved to now; a second claim of the same stale stamp fails', async () => {
    newStore()
    const now = Date.now()
    fs.writeFileSync(stamp(), '')
    const stale = now - 9 * DAY
    setAge(stamp(), stale)
    const seen = Math.floor(fs.statSync(stamp()).mtimeMs)
    expect(requestUpkeep(box.store, now)).toBe(true)
    await nextTurn()
    expect(Math.abs(fs.statSync(stamp()).mtimeMs - now)).toBeLessThan(1000)
    expect(claims(box.store)).toEqual([`${UPKEEP_STAMP}.${seen}`])
    // What a racing process that saw the same stale mtime does: the link name exists, it loses.
    expect(() => fs.linkSync(stamp(), `${stamp()}.${seen}`)).toThrow(/EEXIST/)
  })

  test('a stamp younger than 7 days: nothing happens, and this process does not look again before it is due', async () => {
    newStore()
    const now = Date.now()
    fs.writeFileSync(stamp(), '')
    setAge(stamp(), now - 6 * DAY)
    expect(requestUpkeep(box.store, now)).toBe(false)
    fs.rmSync(stamp())
    setAge(format(), now - 30 * DAY)
    // Within the 7 days of the stamp it saw, the process does not even stat it again.
    expect(requestUpkeep(box.store, now + DAY / 2)).toBe(false)
    expect(fs.existsSync(stamp())).toBe(false)
    // After them, it does.
    expect(requestUpkeep(box.store, now + 2 * DAY)).toBe(true)
    await nextTurn()
    expect(fs.existsSync(stamp())).toBe(true)
    expect(UPKEEP_EVERY_MS).toBe(7 * DAY)
  })

  test('SCRATCHSPACE_AUTO_GC=0: no claim', async () => {
    newStore()
    const now = Date.now()
    setAge(format(), now - 30 * DAY)
    process.env.SCRATCHSPACE_AUTO_GC = '0'
    expect(requestUpkeep(box.store, now)).toBe(false)
    expect(fs.existsSync(stamp())).toBe(false)
  })

  test('getScratch claims only when it creates a space', async () => {
    newStore()
    fs.mkdirSync(path.join(box.store, 'pkg-a', 'a'), { recursive: true })
    setAge(format(), Date.now() - 30 * DAY)
    // An existing space: no look at the stamp.
    newStore()
    expect(fs.existsSync(stamp())).toBe(false)
    getScratch('b', { name: 'pkg-a' })
    await nextTurn()
    expect(fs.existsSync(stamp())).toBe(true)
  })

  test('a read-only store: no claim, no error', async () => {
    newStore()
    setAge(format(), Date.now() - 30 * DAY)
    const unmount = mountReadOnly(box.store)
    if (typeof unmount === 'string') {
      console.log(`skipped: ${unmount}`)
      return
    }
    try {
      requestUpkeep(box.store, Date.now())
      await nextTurn()
    } finally {
      unmount()
    }
    expect(fs.existsSync(stamp())).toBe(false)
  })
})
