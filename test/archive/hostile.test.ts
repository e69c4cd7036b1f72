import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { ScratchError, getScratch, importScratch, scratchPath } from '../../src/index'
import { listAll, rawTar, useTempStore, type RawEntry } from './helpers'

const env = useTempStore()
const OWNER = { name: 'pkg-victim' }

// Built per test, because absolute paths point into that test's temp root.
const hostile: [string, (tmp: string) => RawEntry[]][] = [
  ['../evil', () => [{ path: '../evil', body: 'x' }]],
  ['../../evil (out of the namespace)', () => [{ path: '../../evil', body: 'x' }]],
  ['a/../../evil', () => [{ path: 'a/', type: 'Directory' }, { path: 'a/../../evil', body: 'x' }]],
  ['a/../b (any ".." segment)', () => [{ path: 'a/../b', body: 'x' }]],
  ['absolute path', (tmp) => [{ path: path.join(tmp, 'abs-evil'), body: 'x' }]],
  ['backslash path', () => [{ path: '..\\..\\evil', body: 'x' }]],
  ['drive-letter path', () => [{ path: 'C:/evil', body: 'x' }]],
  ['pax path overriding a harmless header', () => [{ path: 'harmless', body: 'x', pax: { path: '../../pax-evil' } }]],
  ['symlink to /etc', () => [{ path: 'etc', type: 'SymbolicLink', linkpath: '/etc' }]],
  ['symlink ../../x', () => [{ path: 'up', type: 'SymbolicLink', linkpath: '../../x' }]],
  ['nested symlink climbing out', () => [{ path: 'a/b/up', type: 'SymbolicLink', linkpath: '../../../x' }]],
  ['link chain escaping (d/up -> .., x -> d/up/..)', () => [
    { path: 'd/', type: 'Directory' },
    { path: 'd/up', type: 'SymbolicLink', linkpath: '..' },
    { path: 'x', type: 'SymbolicLink', linkpath: 'd/up/..' },
  ]],
  ['link loop', () => [
    { path: 'a', type: 'SymbolicLink', linkpath: 'b' },
    { path: 'b', type: 'SymbolicLink', linkpath: 'a' },
  ]],
  ['hard link to /etc/passwd', () => [{ path: 'passwd', type: 'Link', linkpath: '/etc/passwd' }]],
  ['hard link outside', () => [{ path: 'h', type: 'Link', linkpath: '../../outside' }]],
  ['hard link inside (never written by export)', () => [{ path: 'a', body: 'x' }, { path: 'b', type: 'Link', linkpath: 'a' }]],
  ['absolute symlink, then a file written through it', (tmp) => [
    { path: 'link', type: 'SymbolicLink', linkpath: path.join(tmp, 'through') },
    { path: 'link/file', body: 'x' },
  ]],
  ['safe symlink to a dir, then a file written through it', () => [
    { path: 'real/', type: 'Directory' },
    { path: 'link', type: 'SymbolicLink', linkpath: 'real' },
    { path: 'link/file', body: 'x' },
  ]],
  ['file replaced by a symlink (duplicate path)', () => [
    { path: 'f', body: 'x' },
    { path: 'f', type: 'SymbolicLink', linkpath: 'anything' },
  ]],
  ['symlink replaced by a file (duplicate path)', () => [
    { path: 'f', type: 'SymbolicLink', linkpath: 'target' },
    { path: 'f', body: 'x' },
  ]],
  ['file below a file', () => [{ path: 'f', body: 'x' }, { path: 'f/g', body: 'y' }]],
  ['character device', () => [{ path: 'null', type: 'CharacterDevice', devmaj: 1, devmin: 3 }]],
  ['block device', () => [{ path: 'sda', type: 'BlockDevice', devmaj: 8, devmin: 0 }]],
  ['FIFO', () => [{ path: 'pipe', type: 'FIFO' }]],
  ['unknown entry type', () => [{ path: 'weird', type: 'SolarisACL', body: 'acl' }]],
  ['a file in place of the space', () => [{ path: '.', body: 'x' }]],
  ['a link in place of the space', () => [{ path: '.', type: 'SymbolicLink', linkpath: 'x' }]],
]

/** Sets up a store that already exists, so "nothing changed" can be checked on the whole test root. */
function prepare(): string[] {
  getScratch('bystander', OWNER)
  return listAll(env.tmp())
}

async function expectRefused(file: string, before: string[], code = 'ERR_SCRATCH_UNSAFE_ARCHIVE'): Promise<void> {
  const rejection = importScratch(file, 'target', OWNER)
  await expect(rejection).rejects.toBeInstanceOf(ScratchError)
  await expect(rejection).rejects.toMatchObject({ code })
  expect(fs.existsSync(scratchPath('target', OWNER))).toBe(false)
  // Nothing written anywhere under the test root: no escapee, no temp directory, no access record.
  expect(listAll(env.tmp())).toEqual(before)
}

describe('importScratch refuses hostile archives', () => {
  test.each(hostile)('%s → ERR_SCRATCH_UNSAFE_ARCHIVE, nothing written', async (_name, make) => {
    const before = prepare()
    const file = path.join(env.tmp(), 'evil.tar.gz')
    fs.writeFileSync(file, rawTar(make(env.tmp())))
    before.push('evil.tar.gz')
    await expectRefused(file, before.sort())
    for (const escapee of ['evil', 'pax-evil', 'abs-evil', 'through', 'x', 'outside']) {
      expect(fs.existsSync(path.join(env.tmp(), escapee))).toBe(false)
      expect(fs.existsSync(path.join(env.store(), escapee))).toBe(false)
    }
  })

  test('a refused import leaves an existing space as it was', async () => {
    const existing = getScratch('target', OWNER)
    fs.writeFileSync(path.join(existing, 'keep.txt'), 'keep')
    const file = path.join(env.tmp(), 'evil.tar.gz')
    fs.writeFileSync(file, rawTar([{ path: 'ok.txt', body: 'ok' }, { path: '../evil', body: 'x' }]))
    const before = listAll(env.tmp())
    await expect(importScratch(file, 'target', OWNER)).rejects.toMatchObject({ code: 'ERR_SCRATCH_UNSAFE_ARCHIVE' })
    expect(listAll(env.tmp())).toEqual(before)
    expect(fs.readdirSync(existing)).toEqual(['keep.txt'])
  })

  test.each([
    ['garbage', () => Buffer.from('not a tarball, not gzip either '.repeat(40))],
    ['a few bytes', () => Buffer.from('xy')],
    ['an empty file', () => Buffer.alloc(0)],
    ['gzip of garbage', () => zlib.gzipSync(Buffer.from('garbage '.repeat(200)))],
    ['truncated gzip', () => rawTar([{ path: 'a', body: 'a'.repeat(20000) }]).subarray(0, 60)],
    ['tar with a bad checksum', () => {
      const tar = rawTar([{ path: 'a', body: 'a' }], { gzip: false })
      tar[0] ^= 1
      return tar
    }],
    ['tar without its end-of-archive marker', () => rawTar([{ path: 'a', body: 'a' }], { gzip: false, end: false })],
    ['tar cut inside a file', () => rawTar([{ path: 'a', body: 'a'.repeat(2000) }], { gzip: false }).subarray(0, 1024)],
  ])('an unreadable archive (%s) → ERR_SCRATCH_UNSAFE_ARCHIVE, nothing written', async (_name, make) => {
    const before = prepare()
    const file = path.join(env.tmp(), 'bad.tar.gz')
    fs.writeFileSync(file, make())
    before.push('bad.tar.gz')
    await expectRefused(file, before.sort())
  })

  test('plain tar and safe links inside are accepted', async () => {
    const file = path.join(env.tmp(), 'ok.tar')
    fs.writeFileSync(file, rawTar([
      { path: './', type: 'Directory' },
      { path: './d/', type: 'Directory' },
      { path: './d/f.txt', body: 'f' },
      { path: 'd/up', type: 'SymbolicLink', linkpath: '..' },
      { path: 'to-f', type: 'SymbolicLink', linkpath: 'd/up/d/f.txt' },
    ], { gzip: false }))
    const target = await importScratch(file, 'target', OWNER)
    expect(fs.readFileSync(path.join(target, 'to-f'), 'utf8')).toBe('f')
  })
})
