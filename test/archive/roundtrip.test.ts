import fs from 'node:fs'
import path from 'node:path'
import { list } from 'tar'
import { exportScratch, getScratch, importScratch, scratchPath } from '../../src/index'
import { listAll, readTree, useTempStore, writeTree, type TreeSpec } from './helpers'
import { accessLogPath, trashDir } from '../../src/runtime/layout'

const env = useTempStore()
const A = { name: 'pkg-a' }
const B = { name: '@scope/pkg-b' }
const LONG = `${'deep/'.repeat(25)}leaf.txt`

const tree: TreeSpec = {
  'top.txt': 'top',
  'empty.txt': '',
  'private.txt': { content: 'secret', mode: 0o600 },
  'bin/run.sh': { content: '#!/bin/sh\necho hi\n', mode: 0o700 },
  'bin/group-exec': { content: 'x', mode: 0o610 },
  'nested/a/b/c.json': '{"c":1}',
  'empty-dir': { dir: true },
  'ünïcødé/日本語 ファイル.txt': 'unicode',
  '🦀.md': 'crab',
  [LONG]: 'long path',
  'links/to-top': { link: '../top.txt' },
  'links/to-dir': { link: '../nested/a' },
  'links/dangling-inside': { link: 'not-yet-there' },
}

function umasked(mode: number): string {
  const mask = process.umask()
  return (mode & ~mask).toString(8)
}

describe('exportScratch → importScratch round trip', () => {
  test('copies the tree, contents and safe links, with modes normalised', async () => {
    const source = getScratch('data', A)
    writeTree(source, tree)
    const file = path.join(env.tmp(), 'data.tar.gz')

    const { integrity, bytes } = await exportScratch('data', A, file)
    expect(integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/)
    expect(bytes).toBe(fs.statSync(file).size)

    const target = await importScratch(file, 'copy', B, { integrity })
    expect(target).toBe(scratchPath('copy', B))
    expect(target).toBe(path.join(env.store(), '@scope', 'pkg-b', 'copy'))

    const copied = readTree(target)
    const original = readTree(source)
    expect(Object.keys(copied)).toEqual(Object.keys(original))
    for (const [rel, description] of Object.entries(original)) {
      // Same type, content and link target; modes are compared below.
      expect(copied[rel].replace(/ [0-7]{3}( |$)/, ' ')).toBe(description.replace(/ [0-7]{3}( |$)/, ' '))
    }
    expect(copied['top.txt']).toBe(`file ${umasked(0o644)} top`)
    expect(copied['private.txt']).toBe(`file ${umasked(0o644)} secret`)
    expect(copied['bin/run.sh']).toBe(`file ${umasked(0o755)} #!/bin/sh\necho hi\n`)
    expect(copied['bin/group-exec']).toBe(`file ${umasked(0o755)} x`)
    expect(copied['empty-dir']).toBe(`dir ${umasked(0o755)}`)
    expect(copied[LONG]).toBe(`file ${umasked(0o644)} long path`)
    expect(copied['links/to-top']).toBe('link -> ../top.txt')
    expect(fs.readFileSync(path.join(target, 'links/to-dir/b/c.json'), 'utf8')).toBe('{"c":1}')
    // The space itself keeps the store's 0700.
    expect(fs.statSync(target).mode & 0o777).toBe(0o700)
    // No temporary directories left in the namespace.
    expect(fs.readdirSync(path.dirname(target))).toEqual(['copy'])
  })

  test('writes relative, sorted entries with fixed metadata', async () => {
    writeTree(getScratch('data', A), tree)
    const file = path.join(env.tmp(), 'data.tar.gz')
    await exportScratch('data', A, file)
    const seen: { path: string; mode?: number; uid?: number; gid?: number; uname?: string; gname?: string; mtime?: Date; type: string }[] = []
    await list({ file, onReadEntry: (e) => { seen.push({ path: e.path, mode: e.mode, uid: e.uid, gid: e.gid, uname: e.uname, gname: e.gname, mtime: e.mtime, type: e.type }) } })
    const paths = seen.map((e) => e.path)
    expect(paths[0]).toBe('bin/')
    expect(paths).toContain('nested/a/b/c.json')
    expect(paths.every((p) => !p.startsWith('./') && !p.startsWith('/'))).toBe(true)
    expect(paths.indexOf('nested/')).toBeLessThan(paths.indexOf('nested/a/'))
    expect(paths.indexOf('bin/')).toBeLessThan(paths.indexOf('bin/run.sh'))
    for (const entry of seen) {
      expect(entry.uid).toBe(0)
      expect(entry.gid).toBe(0)
      expect(entry.uname ?? '').toBe('')
      expect(entry.gname ?? '').toBe('')
      expect(entry.mtime?.toISOString()).toBe('2000-01-01T00:00:00.000Z')
      const expected = entry.type === 'SymbolicLink' ? 0o777
        : entry.type === 'Directory' || ['bin/run.sh', 'bin/group-exec'].includes(entry.path) ? 0o755 : 0o644
      expect([entry.path, entry.mode]).toEqual([entry.path, expected])
    }
  })

  test('an empty space round-trips', async () => {
    getScratch('empty', A)
    const file = path.join(env.tmp(), 'empty.tar.gz')
    const { integrity } = await exportScratch('empty', A, file)
    const target = await importScratch(file, 'empty', null, { integrity })
    expect(target).toBe(path.join(env.store(), '_global', 'empty'))
    expect(fs.readdirSync(target)).toEqual([])
  })

  test('import replaces an existing space and empties the trash', async () => {
    writeTree(getScratch('data', A), { 'new.txt': 'new' })
    const file = path.join(env.tmp(), 'data.tar.gz')
    await exportScratch('data', A, file)
    const existing = getScratch('data', B)
    writeTree(existing, { 'old.txt': 'old', 'sub/old2.txt': 'old2' })

    await importScratch(file, 'data', B)
    expect(readTree(existing)).toEqual({ 'new.txt': `file ${umasked(0o644)} new` })
    const trash = trashDir(env.store())
    expect(fs.existsSync(trash) ? fs.readdirSync(trash) : []).toEqual([])
    expect(fs.readdirSync(path.dirname(existing))).toEqual(['data'])
  })

  test('import records the access like getScratch', async () => {
    writeTree(getScratch('data', A), { 'x.txt': 'x' })
    const file = path.join(env.tmp(), 'data.tar.gz')
    await exportScratch('data', A, file)
    await importScratch(file, 'imported', A)
    const log = fs.readFileSync(accessLogPath(env.store()), 'utf8')
    expect(log).toContain('"space":"pkg-a/imported"')
  })

  test('export replaces the archive file atomically and leaves no temporary file', async () => {
    writeTree(getScratch('data', A), { 'x.txt': 'x' })
    const file = path.join(env.tmp(), 'out', 'data.tar.gz')
    fs.mkdirSync(path.dirname(file))
    fs.writeFileSync(file, 'previous content')
    const { bytes } = await exportScratch('data', A, file)
    expect(fs.statSync(file).size).toBe(bytes)
    expect(listAll(path.dirname(file))).toEqual(['data.tar.gz'])
  })

  test('a missing space is ERR_SCRATCH_USAGE and writes nothing', async () => {
    const file = path.join(env.tmp(), 'none.tar.gz')
    await expect(exportScratch('missing', A, file)).rejects.toMatchObject({ code: 'ERR_SCRATCH_USAGE' })
    expect(fs.existsSync(file)).toBe(false)
  })

  test('an archive path inside the space is ERR_SCRATCH_USAGE', async () => {
    const space = getScratch('data', A)
    await expect(exportScratch('data', A, path.join(space, 'self.tar.gz'))).rejects.toMatchObject({ code: 'ERR_SCRATCH_USAGE' })
    expect(fs.readdirSync(space)).toEqual([])
  })

  test('a missing archive file is ERR_SCRATCH_USAGE and creates nothing', async () => {
    await expect(importScratch(path.join(env.tmp(), 'nope.tar.gz'), 'data', A)).rejects.toMatchObject({ code: 'ERR_SCRATCH_USAGE' })
    expect(fs.existsSync(scratchPath('data', A))).toBe(false)
  })
})
