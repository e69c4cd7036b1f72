/**
 * An archive bomb: a real ~1 MiB .tar.gz whose one zero-filled file unpacks to 1 GiB. With
 * `maxBytes` (`--max-bytes`), import stops once the limit is passed, installs nothing and leaves
 * no temporary directory behind.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { Header } from 'tar'
import { importScratch } from '../../src'
import { listTree } from '../helpers/tmp'
import { useSandbox } from '../runtime/support'
import { buildSnapshot, figure, removeSnapshot, scratchCli, type Snapshot } from './support'

const GiB = 1024 ** 3
const MiB = 1024 ** 2

/** Writes a gzip of a tar holding `zeros.bin`, `size` zero bytes, without holding it in memory. */
async function writeBomb(file: string, size: number): Promise<void> {
  async function* tar(): AsyncGenerator<Buffer> {
    const header = Buffer.alloc(512)
    new Header({ path: 'zeros.bin', mode: 0o644, uid: 0, gid: 0, mtime: new Date(Date.UTC(2000, 0, 1)), size, type: 'File' }).encode(header)
    yield header
    const chunk = Buffer.alloc(4 * MiB)
    for (let left = size; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left)
    yield Buffer.alloc(1024)
  }
  await pipeline(Readable.from(tar()), zlib.createGzip({ level: 9 }), fs.createWriteStream(file))
}

describe('import with maxBytes against a 1 GiB archive bomb', () => {
  const box = useSandbox()
  let snapshot: Snapshot | undefined
  let bomb = ''
  beforeAll(async () => {
    snapshot = await buildSnapshot()
    bomb = path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'scratch-bomb-')), 'bomb.tgz')
    await writeBomb(bomb, GiB)
  }, 120_000)
  afterAll(() => {
    removeSnapshot(snapshot)
    if (bomb !== '') fs.rmSync(path.dirname(bomb), { recursive: true, force: true })
  })

  test('importScratch(…, { maxBytes: 10 MiB }) stops with ERR_SCRATCH_UNSAFE_ARCHIVE naming the limit; nothing installed, no temp left', async () => {
    const compressed = fs.statSync(bomb).size
    expect(compressed).toBeLessThan(1.5 * MiB)
    const started = Date.now()
    await expect(importScratch(bomb, 'data', { name: 'my-lib' }, { maxBytes: 10 * MiB })).rejects.toMatchObject({
      code: 'ERR_SCRATCH_UNSAFE_ARCHIVE', message: expect.stringContaining(`${10 * MiB} bytes`),
    })
    const ms = Date.now() - started
    expect(fs.existsSync(path.join(box.store, 'my-lib', 'data'))).toBe(false)
    expect(listTree(box.store).filter((entry) => entry.includes('.tmp'))).toEqual([])
    figure(`archive bomb: a ${(compressed / MiB).toFixed(2)} MiB gzip of 1 GiB refused by maxBytes 10 MiB in ${ms} ms, nothing installed`)
  })

  test('an entry whose declared size passes the limit is refused before a byte of it is written (fast even at GiB - 1)', async () => {
    const started = Date.now()
    await expect(importScratch(bomb, 'data', { name: 'my-lib' }, { maxBytes: GiB - 1 })).rejects.toMatchObject({ code: 'ERR_SCRATCH_UNSAFE_ARCHIVE' })
    figure(`archive bomb: maxBytes 1 GiB - 1 refused from the entry header in ${Date.now() - started} ms`)
    expect(fs.existsSync(path.join(box.store, 'my-lib', 'data'))).toBe(false)
  })

  test('scratch import --max-bytes N: exit 1 with the code; a bad N is a usage error (exit 2)', async () => {
    const result = await scratchCli(snapshot!, box.store, ['import', bomb, 'my-lib', 'data', '--max-bytes', String(10 * MiB)])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^ERR_SCRATCH_UNSAFE_ARCHIVE: .*more than the limit of 10485760 bytes/)
    expect(fs.existsSync(path.join(box.store, 'my-lib', 'data'))).toBe(false)
    const bad = await scratchCli(snapshot!, box.store, ['import', bomb, 'my-lib', 'data', '--max-bytes', '10MB'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^ERR_SCRATCH_USAGE: --max-bytes needs a whole number of bytes, got "10MB"/)
  })

  test('maxBytes that is not a whole number is refused before anything is read', async () => {
    await expect(importScratch(bomb, 'data', { name: 'my-lib' }, { maxBytes: -1 })).rejects.toMatchObject({ code: 'ERR_SCRATCH_USAGE' })
    await expect(importScratch(bomb, 'data', { name: 'my-lib' }, { maxBytes: 1.5 })).rejects.toMatchObject({ code: 'ERR_SCRATCH_USAGE' })
  })
})
