import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { exportScratch, getScratch, importScratch, scratchPath } from '../../src/index'
import { listAll, rawTar, readTree, useTempStore, writeTree } from './helpers'

const env = useTempStore()
const A = { name: 'pkg-a' }
const B = { name: 'pkg-b' }

async function exported(): Promise<{ file: string; integrity: string }> {
  writeTree(getScratch('data', A), { 'a.txt': 'alpha', 'sub/b.txt': 'bravo' })
  const file = path.join(env.tmp(), 'data.tar.gz')
  const { integrity } = await exportScratch('data', A, file)
  return { file, integrity }
}

function digest(algorithm: string, file: string): string {
  return `${algorithm}-${createHash(algorithm).update(fs.readFileSync(file)).digest('base64')}`
}

describe('importScratch integrity', () => {
  test('a matching integrity installs the space', async () => {
    const { file, integrity } = await exported()
    const target = await importScratch(file, 'data', B, { integrity })
    expect(fs.readFileSync(path.join(target, 'sub/b.txt'), 'utf8')).toBe('bravo')
  })

  test.each([
    ['sha256', (file: string) => digest('sha256', file)],
    ['sha384 with options', (file: string) => `${digest('sha384', file)}?foo`],
    ['several hashes, strongest counts', (file: string) => `sha256-AAAA ${digest('sha512', file)} md5-abc`],
    ['unpadded base64', (file: string) => digest('sha512', file).replace(/=+$/, '')],
  ])('accepts SRI forms: %s', async (_name, make) => {
    const { file } = await exported()
    await expect(importScratch(file, 'data', B, { integrity: make(file) })).resolves.toBe(scratchPath('data', B))
  })

  test('a wrong integrity is ERR_SCRATCH_INTEGRITY and creates nothing', async () => {
    const { file } = await exported()
    const before = listAll(env.store())
    const wrong = `sha512-${createHash('sha512').update('something else').digest('base64')}`
    await expect(importScratch(file, 'data', B, { integrity: wrong })).rejects.toMatchObject({ code: 'ERR_SCRATCH_INTEGRITY' })
    expect(fs.existsSync(scratchPath('data', B))).toBe(false)
    expect(listAll(env.store())).toEqual(before)
  })

  test('a wrong integrity leaves an existing space untouched', async () => {
    const { file } = await exported()
    const existing = getScratch('data', B)
    writeTree(existing, { 'keep.txt': 'keep' })
    const inode = fs.statSync(existing).ino
    const before = listAll(env.store())
    await expect(importScratch(file, 'data', B, { integrity: digest('sha256', __filename) })).rejects.toMatchObject({ code: 'ERR_SCRATCH_INTEGRITY' })
    expect(fs.statSync(existing).ino).toBe(inode)
    expect(Object.keys(readTree(existing))).toEqual(['keep.txt'])
    expect(listAll(env.store())).toEqual(before)
  })

  test.each(['', 'md5-abc', 'sha512', 'not an integrity'])('an unusable integrity %j is ERR_SCRATCH_INTEGRITY', async (integrity) => {
    const { file } = await exported()
    await expect(importScratch(file, 'data', B, { integrity })).rejects.toMatchObject({ code: 'ERR_SCRATCH_INTEGRITY' })
    expect(fs.existsSync(scratchPath('data', B))).toBe(false)
  })

  test('a non-string integrity is ERR_SCRATCH_USAGE', async () => {
    const { file } = await exported()
    await expect(importScratch(file, 'data', B, { integrity: 42 as unknown as string })).rejects.toMatchObject({ code: 'ERR_SCRATCH_USAGE' })
  })

  test('a garbage file with an integrity reports the integrity mismatch', async () => {
    const file = path.join(env.tmp(), 'garbage.tar.gz')
    fs.writeFileSync(file, 'this is not an archive at all'.repeat(100))
    await expect(importScratch(file, 'data', B, { integrity: digest('sha512', __filename) })).rejects.toMatchObject({ code: 'ERR_SCRATCH_INTEGRITY' })
    expect(fs.existsSync(scratchPath('data', B))).toBe(false)
  })

  test('a hostile archive with a wrong integrity reports the integrity; with the right one, the hostility', async () => {
    const file = path.join(env.tmp(), 'evil.tar.gz')
    fs.writeFileSync(file, rawTar([{ path: '../evil', body: 'evil' }]))
    await expect(importScratch(file, 'data', B, { integrity: digest('sha512', __filename) })).rejects.toMatchObject({ code: 'ERR_SCRATCH_INTEGRITY' })
    await expect(importScratch(file, 'data', B, { integrity: digest('sha512', file) })).rejects.toMatchObject({ code: 'ERR_SCRATCH_UNSAFE_ARCHIVE' })
    expect(fs.existsSync(scratchPath('data', B))).toBe(false)
  })
})
