/**
 * A log write cut short, for real: on a tmpfs with no page left, a write that fits in the room the
 * log's last page has left is made in part (`write` returns fewer bytes than asked for). The
 * record is then not in the log, and the writer must say so instead of counting it as written;
 * the torn part is skipped by readers, and the next record after it is read whole.
 */
import fs from 'node:fs'
import path from 'node:path'
import { accessRecord, appendRecord, decodeLog, encodeRecord, projectRecord } from '../../src/runtime/access-log'
import { accessLogPath } from '../../src/runtime/layout'
import { appendLines } from '../../src/store/log-reader'
import { mountTmpfs } from '../helpers/mounts'
import { captureStderr, freshRuntime, useSandbox } from '../runtime/support'

const box = useSandbox()

/** Fills the file system of `dir` to its last page with one file; returns that file. */
function fillUp(dir: string): string {
  const file = path.join(dir, 'filler')
  const fd = fs.openSync(file, 'w')
  try {
    for (;;) fs.writeSync(fd, Buffer.alloc(4096))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
  } finally {
    fs.closeSync(fd)
  }
  return file
}

/** A store on a 256 KiB tmpfs whose live log ends 100 bytes before a page boundary, the disk full; null (skip) without mounts. */
function fullStore(): { store: string; log: string; filler: string; unmount: () => void } | null {
  const disk = path.join(box.tmp, 'disk')
  fs.mkdirSync(disk)
  const unmount = mountTmpfs(disk, '256k')
  if (typeof unmount === 'string') {
    console.log(`skipped: ${unmount}`)
    return null
  }
  const store = path.join(disk, 'store')
  process.env.SCRATCHSPACE_DIR = store
  const rt = freshRuntime()
  rt.getScratch('cache', { name: 'p' })
  const log = accessLogPath(store)
  const size = fs.statSync(log).size
  // A line of padding (a damaged line to readers) so that the log's last page has 100 bytes left.
  fs.appendFileSync(log, `${'#'.repeat((3995 - (size % 4096) + 4096) % 4096)}\n`)
  expect(fs.statSync(log).size % 4096).toBe(3996)
  return { store, log, filler: fillUp(disk), unmount }
}

const record = accessRecord({ space: 'p/cache', owner: 'p', caller: 'q', project: '/work/app', time: '2026-12-04T00:00:00.000Z', pid: 1 })

test('a record whose write the full disk cuts short is an ENOSPC error; the next record after the torn part is read whole', () => {
  const disk = fullStore()
  if (disk === null) return
  try {
    const before = fs.statSync(disk.log).size
    expect(encodeRecord(record).length).toBeGreaterThan(100)
    expect(() => appendRecord(disk.store, record)).toThrow(expect.objectContaining({ code: 'ENOSPC' }))
    // The write was made in part: the page's last 100 bytes, no newline.
    expect(fs.statSync(disk.log).size).toBe(before + 100)
    fs.rmSync(disk.filler)
    const next = projectRecord('/work/other', Date.parse('2026-12-04T00:00:01.000Z'))
    appendRecord(disk.store, next)
    const records = decodeLog(fs.readFileSync(disk.log, 'utf8'))
    expect(records.at(-1)).toEqual(next)
    expect(records).not.toContainEqual(record)
  } finally {
    disk.unmount()
  }
})

test('lines a gc appends again are an ENOSPC error when the write is cut short', () => {
  const disk = fullStore()
  if (disk === null) return
  try {
    expect(() => appendLines(disk.log, encodeRecord(record).repeat(2))).toThrow(expect.objectContaining({ code: 'ENOSPC' }))
  } finally {
    disk.unmount()
  }
})

test('getScratch on that disk returns the existing space and warns once that its use was not recorded', () => {
  const disk = fullStore()
  if (disk === null) return
  try {
    const rt = freshRuntime()
    const stderr = captureStderr()
    const before = fs.statSync(disk.log).size
    expect(rt.getScratch('cache', { name: 'p' }, { caller: { name: 'a-caller-whose-record-is-long-enough' } })).toBe(path.join(disk.store, 'p', 'cache'))
    expect(fs.statSync(disk.log).size).toBe(before + 100)
    expect(stderr).toHaveLength(1)
    expect(stderr[0]).toMatch(/warning: .*ENOSPC/)
  } finally {
    disk.unmount()
  }
})
