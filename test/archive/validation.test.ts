import fs from 'node:fs'
import path from 'node:path'
import { exportScratch, importScratch, type Owner } from '../../src/index'
import { listAll, rawTar, useTempStore } from './helpers'

const env = useTempStore()
const OWNER = { name: 'pkg-a' }
const badKeys = ['', '.', '..', 'a/b', 'a\\b', '-dash', '.hidden', 'nul\0byte', 'x'.repeat(129), 'trailing\n', 42]
const badOwners: unknown[] = [{ name: 'Bad Name' }, { name: '../escape' }, { name: '' }, 42, undefined, {}]

describe('export and import validate key and owner before any file operation', () => {
  let archive = ''
  let before: string[] = []
  beforeEach(() => {
    archive = path.join(env.tmp(), 'in.tar.gz')
    fs.writeFileSync(archive, rawTar([{ path: 'a.txt', body: 'a' }]))
    before = listAll(env.tmp())
  })
  afterEach(() => {
    // No store, no archive, no temporary file: only what the test put there.
    expect(fs.existsSync(env.store())).toBe(false)
    expect(listAll(env.tmp())).toEqual(before)
  })

  test.each(badKeys)('key %j → ERR_SCRATCH_INVALID_KEY', async (key) => {
    const out = path.join(env.tmp(), 'out.tar.gz')
    await expect(exportScratch(key as string, OWNER, out)).rejects.toMatchObject({ code: 'ERR_SCRATCH_INVALID_KEY' })
    await expect(exportScratch(key as string, null, out)).rejects.toMatchObject({ code: 'ERR_SCRATCH_INVALID_KEY' })
    await expect(importScratch(archive, key as string, OWNER)).rejects.toMatchObject({ code: 'ERR_SCRATCH_INVALID_KEY' })
    await expect(importScratch(archive, key as string, null)).rejects.toMatchObject({ code: 'ERR_SCRATCH_INVALID_KEY' })
  })

  test.each(badOwners)('owner %j → ERR_SCRATCH_INVALID_OWNER', async (owner) => {
    const out = path.join(env.tmp(), 'out.tar.gz')
    await expect(exportScratch('data', owner as Owner, out)).rejects.toMatchObject({ code: 'ERR_SCRATCH_INVALID_OWNER' })
    await expect(importScratch(archive, 'data', owner as Owner)).rejects.toMatchObject({ code: 'ERR_SCRATCH_INVALID_OWNER' })
  })

  test('a bad key wins over a bad file argument', async () => {
    await expect(exportScratch('..', OWNER, '')).rejects.toMatchObject({ code: 'ERR_SCRATCH_INVALID_KEY' })
    await expect(importScratch('', '..', OWNER)).rejects.toMatchObject({ code: 'ERR_SCRATCH_INVALID_KEY' })
  })

  test.each(['', 'nul\0.tar.gz', 42])('file %j → ERR_SCRATCH_USAGE', async (file) => {
    await expect(exportScratch('data', OWNER, file as string)).rejects.toMatchObject({ code: 'ERR_SCRATCH_USAGE' })
    await expect(importScratch(file as string, 'data', OWNER)).rejects.toMatchObject({ code: 'ERR_SCRATCH_USAGE' })
  })
})
