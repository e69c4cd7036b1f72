/**
 * A full disk, for real: the store on a 4 MiB tmpfs filled to the last byte. `scratch gc` must
 * still free space: taking the lock and marking the run need no free space (the lock's owner is
 * the name of an empty file), and state is written only after deleting.
 */
import fs from 'node:fs'
import path from 'node:path'
import { DAY, makeSpace } from '../gc/support'
import { mountTmpfs } from '../helpers/mounts'
import { useSandbox } from '../runtime/support'
import { buildSnapshot, figure, removeSnapshot, scratchCli, type Snapshot } from './support'
import { bookkeepingDir } from '../../src/runtime/layout'

const box = useSandbox()
let snapshot: Snapshot | undefined
beforeAll(async () => { snapshot = await buildSnapshot() })
afterAll(() => removeSnapshot(snapshot))

/** Writes `dir/filler-*` until the file system refuses another byte; returns the bytes written. */
function fillUp(dir: string): number {
  let written = 0
  for (const chunk of [1 << 16, 4096, 1]) {
    const fd = fs.openSync(path.join(dir, `filler-${chunk}`), 'w')
    try {
      for (;;) {
        try {
          written += fs.writeSync(fd, Buffer.alloc(chunk))
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break
          throw err
        }
      }
    } finally {
      fs.closeSync(fd)
    }
  }
  return written
}

function freeBytes(dir: string): number {
  const stat = fs.statfsSync(dir)
  return stat.bavail * stat.bsize
}

test('on a full tmpfs, scratch gc takes the lock, deletes the orphaned space and exits 0', async () => {
  const disk = path.join(box.tmp, 'disk')
  fs.mkdirSync(disk)
  const unmount = mountTmpfs(disk, '4m')
  if (typeof unmount === 'string') {
    console.log(`skipped: ${unmount}`)
    return
  }
  try {
    const store = path.join(disk, 'store')
    makeSpace(store, 'live-pkg', 'cache', 100)
    // A first run writes the registry, marks and compacted log a later run rewrites.
    expect((await scratchCli(snapshot!, store, ['gc'])).code).toBe(0)
    const doomed = makeSpace(store, 'gone-pkg', 'cache', 2 * 1024 * 1024, 9 * DAY)
    const filled = fillUp(disk)
    expect(() => fs.writeFileSync(path.join(disk, 'one-more'), 'x')).toThrow(expect.objectContaining({ code: 'ENOSPC' }))
    const before = freeBytes(disk)
    const gc = await scratchCli(snapshot!, store, ['gc', '--json'])
    expect(gc.stderr).not.toMatch(/ENOSPC: no space|\n\s+at /)
    expect(gc.code).toBe(0)
    const report = JSON.parse(gc.stdout) as { freedBytes: number; spaces: { owner: string; action: string }[] }
    expect(report.spaces.map((s) => [s.owner, s.action])).toEqual([['gone-pkg', 'deleted'], ['live-pkg', 'keep']])
    expect(report.freedBytes).toBe(2 * 1024 * 1024)
    expect(fs.existsSync(doomed)).toBe(false)
    const after = freeBytes(disk)
    expect(after - before).toBeGreaterThanOrEqual(2 * 1024 * 1024)
    expect(fs.existsSync(path.join(bookkeepingDir(store), 'lock'))).toBe(false)
    figure(`full disk (real 4 MiB tmpfs, ${filled} filler bytes, ${before} bytes free): scratch gc exit 0 in ${gc.ms} ms, freed ${report.freedBytes} bytes (${after} free after)`)
  } finally {
    unmount()
  }
})
