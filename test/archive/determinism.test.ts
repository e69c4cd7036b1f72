import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { exportScratch, getScratch, withScratchDirectory } from '../../src/index'
import { useTempStore, writeTree, type TreeSpec } from './helpers'

const env = useTempStore()
const OWNER = { name: 'pkg-a' }

const files: [string, string | { content: string; mode: number }][] = [
  ['a.txt', 'alpha'],
  ['B.txt', 'bravo'],
  ['dir/x.bin', 'x'.repeat(5000)],
  ['dir/sub/run', { content: 'run', mode: 0o755 }],
  ['zz/ä.txt', 'umlaut'],
  [`${'long-name-'.repeat(12)}.txt`, 'long'],
]

function sri(file: string): string {
  return `sha512-${createHash('sha512').update(fs.readFileSync(file)).digest('base64')}`
}

describe('exportScratch determinism', () => {
  test('two exports of one space are byte-identical, and the integrity is the file hash', async () => {
    writeTree(getScratch('data', OWNER), Object.fromEntries(files) as TreeSpec)
    const first = path.join(env.tmp(), 'one.tar.gz')
    const second = path.join(env.tmp(), 'two.tar.gz')
    const r1 = await exportScratch('data', OWNER, first)
    const r2 = await exportScratch('data', OWNER, second)
    expect(fs.readFileSync(first).equals(fs.readFileSync(second))).toBe(true)
    expect(r1).toEqual(r2)
    expect(r1.integrity).toBe(sri(first))
  })

  test('the same content in another store, made in another order with other times and modes, gives the same bytes', async () => {
    const storeA = path.join(env.tmp(), 'store-a')
    const storeB = path.join(env.tmp(), 'store-b')
    const fileA = path.join(env.tmp(), 'a.tar.gz')
    const fileB = path.join(env.tmp(), 'b.tar.gz')

    const resultA = await withScratchDirectory(storeA, async () => {
      const dir = getScratch('data', OWNER)
      for (const [rel, value] of files) writeTree(dir, { [rel]: value })
      fs.mkdirSync(path.join(dir, 'empty'))
      return exportScratch('data', OWNER, fileA)
    })

    const oldMask = process.umask(0o077)
    let resultB: { integrity: string; bytes: number }
    try {
      resultB = await withScratchDirectory(storeB, async () => {
        const dir = getScratch('data', OWNER)
        fs.mkdirSync(path.join(dir, 'empty'), { mode: 0o700 })
        for (const [rel, value] of [...files].reverse()) {
          // Group-only execute still counts as executable; other bits differ from store A.
          const mode = typeof value === 'string' ? 0o600 : 0o710
          writeTree(dir, { [rel]: { content: typeof value === 'string' ? value : value.content, mode } })
        }
        const past = new Date('2011-11-11T11:11:11Z')
        for (const [rel] of files) fs.utimesSync(path.join(dir, rel), past, past)
        fs.utimesSync(path.join(dir, 'dir'), past, past)
        fs.chmodSync(path.join(dir, 'dir'), 0o711)
        return exportScratch('data', OWNER, fileB)
      })
    } finally {
      process.umask(oldMask)
    }
    expect(fs.readFileSync(fileA).equals(fs.readFileSync(fileB))).toBe(true)
    expect(resultB).toEqual(resultA)
  })

  test('the gzip header has no time and a fixed OS byte', async () => {
    writeTree(getScratch('data', OWNER), { 'a.txt': 'a' })
    const file = path.join(env.tmp(), 'a.tar.gz')
    await exportScratch('data', OWNER, file)
    const header = fs.readFileSync(file).subarray(0, 10)
    expect([...header.subarray(0, 3)]).toEqual([0x1f, 0x8b, 8])
    expect(header.readUInt32LE(4)).toBe(0)
    expect(header[9]).toBe(3)
  })
})
