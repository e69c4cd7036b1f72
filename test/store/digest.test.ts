import fs from 'node:fs'
import path from 'node:path'
import { finishDigest, wordDigest } from '../../src/runtime/checksum'
import { bookkeepingDir } from '../../src/runtime/layout'
import { loadSnapshot, saveSnapshot } from '../../src/store/history-snapshot'
import { removeTempDirs, tempDir } from '../helpers/tmp'

// The folded history's digest of the compacted log (docs/design.md, "The folded history") must
// tell apart any two files of the same size: it is checked after the stat matched, so what it
// has to catch is another content in a file stat'ed the same.
let seed = 0x2545f491
function random(): number {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return seed >>> 0
}
function bytesOf(n: number): Buffer {
  const bytes = Buffer.alloc(n)
  for (let i = 0; i < n; i++) bytes[i] = random() & 255
  return bytes
}
const digest = (bytes: Uint8Array): number => finishDigest(wordDigest(bytes), bytes.length)

describe('the digest of the compacted log', () => {
  afterEach(removeTempDirs)

  test('every one-bit change, in any byte and bit, changes it', () => {
    const bytes = bytesOf(67)
    const before = digest(bytes)
    let same = 0
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        bytes[i] ^= 1 << bit
        if (digest(bytes) === before) same++
        bytes[i] ^= 1 << bit
      }
    }
    expect(same).toBe(0)
  })

  test('structured changes (a high bit in one word and the bits it would cancel in the next, swapped words, a zero byte more) change it', () => {
    let same = 0
    for (let trial = 0; trial < 2000; trial++) {
      const n = 8 + (random() % 400)
      const bytes = bytesOf(n)
      const before = digest(bytes)
      const word = 4 * (random() % Math.floor(n / 4 - 1))
      const paired = Buffer.from(bytes)
      paired[word + 3] ^= 0x80
      paired[word + 7] ^= 0x80
      paired[word + 6] ^= 0x01
      if (digest(paired) === before) same++
      const other = 4 * (random() % Math.floor(n / 4))
      const swapped = Buffer.from(bytes)
      bytes.copy(swapped, word, other, other + 4)
      bytes.copy(swapped, other, word, word + 4)
      if (!swapped.equals(bytes) && digest(swapped) === before) same++
      if (digest(Buffer.concat([bytes, Buffer.alloc(1)])) === before) same++
    }
    expect(same).toBe(0)
    expect(digest(Buffer.from('abc'))).not.toBe(digest(Buffer.from('abc\0')))
  })

  test('read in chunks from the file, it is the digest of its bytes at every size', () => {
    const store = path.join(tempDir(), 'store')
    fs.mkdirSync(bookkeepingDir(store), { recursive: true })
    const compact = path.join(bookkeepingDir(store), 'access.compact.log')
    const MiB = 1024 * 1024
    const rejected: number[] = []
    for (const size of [0, 1, 2, 3, 4, 5, 7, 8, 9, MiB - 3, MiB - 1, MiB, MiB + 1, MiB + 3, MiB + 4, 2 * MiB + 2, 3 * MiB + 1]) {
      const bytes = bytesOf(size)
      fs.writeFileSync(compact, bytes)
      saveSnapshot(compact, bytes, { spaces: [], projects: new Map() })
      if (loadSnapshot(compact, Date.now(), new Map()) === null) rejected.push(size)
    }
    expect(rejected).toEqual([])
  })
})
