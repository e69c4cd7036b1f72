import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { exportScratch, getScratch } from '../../src/index'
import { list } from 'tar'
import { listAll, useTempStore, writeTree, type TreeSpec } from './helpers'

const env = useTempStore()
const OWNER = { name: 'pkg-a' }

/** The entries of an archive: `path -> link target`, `path -> content` for files, `path/` for directories. */
async function entriesOf(file: string): Promise<Record<string, string>> {
  const seen: Record<string, string> = {}
  await list({
    file,
    onReadEntry: (e) => {
      if (e.type === 'SymbolicLink') seen[e.path] = `-> ${e.linkpath}`
      else if (e.type === 'Directory') seen[e.path] = 'dir'
      else {
        const chunks: Buffer[] = []
        e.on('data', (c: Buffer) => chunks.push(c))
        e.on('end', () => { seen[e.path] = Buffer.concat(chunks).toString('utf8') })
      }
    },
  })
  return seen
}

function hasMkfifo(): boolean {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' })
    return process.platform !== 'win32'
  } catch {
    return false
  }
}

describe('exportScratch refuses content it cannot archive safely', () => {
  test.each<[string, TreeSpec]>([
    ['an absolute link', { 'etc': { link: '/etc' } }],
    ['a link climbing out of the space', { 'sub/up': { link: '../../other' } }],
    ['a link to the space directory\'s sibling', { 'sibling': { link: '../bystander' } }],
    ['a chain of links leading out', { 'd/up': { link: '..' }, 'x': { link: 'd/up/..' } }],
    ['a loop of links', { 'a': { link: 'b' }, 'b': { link: 'a' } }],
    ['a name with a backslash', { 'a\\b.txt': 'x' }],
  ])('%s → ERR_SCRATCH_UNSAFE_ARCHIVE, no archive written', async (_name, tree) => {
    getScratch('bystander', OWNER)
    writeTree(getScratch('data', OWNER), { 'ok.txt': 'ok', ...tree })
    const out = path.join(env.tmp(), 'out')
    fs.mkdirSync(out)
    await expect(exportScratch('data', OWNER, path.join(out, 'data.tar.gz'))).rejects.toMatchObject({ code: 'ERR_SCRATCH_UNSAFE_ARCHIVE' })
    expect(listAll(out)).toEqual([])
  })

  test('links that stay inside, also through other links, are kept', async () => {
    writeTree(getScratch('data', OWNER), { 'd/f.txt': 'f', 'd/up': { link: '..' }, 'x': { link: 'd/up/d/f.txt' }, 'self': { link: '.' } })
    const file = path.join(env.tmp(), 'ok.tar.gz')
    const { bytes } = await exportScratch('data', OWNER, file)
    expect(bytes).toBe(fs.statSync(file).size)
    // Stored as links, with their targets as written.
    expect(await entriesOf(file)).toEqual({ 'd/': 'dir', 'd/f.txt': 'f', 'd/up': '-> ..', 'self': '-> .', 'x': '-> d/up/d/f.txt' })
  })

  ;(hasMkfifo() ? test : test.skip)('a FIFO → ERR_SCRATCH_UNSAFE_ARCHIVE', async () => {
    const space = getScratch('data', OWNER)
    execFileSync('mkfifo', [path.join(space, 'pipe')])
    const file = path.join(env.tmp(), 'fifo.tar.gz')
    await expect(exportScratch('data', OWNER, file)).rejects.toMatchObject({ code: 'ERR_SCRATCH_UNSAFE_ARCHIVE' })
    expect(fs.existsSync(file)).toBe(false)
  })

  test('a space that is a link to a directory exports its content', async () => {
    const real = path.join(env.tmp(), 'real')
    writeTree(real, { 'a.txt': 'a' })
    const space = getScratch('linked', OWNER)
    fs.rmdirSync(space)
    fs.symlinkSync(real, space)
    const file = path.join(env.tmp(), 'linked.tar.gz')
    const { bytes } = await exportScratch('linked', OWNER, file)
    expect(bytes).toBe(fs.statSync(file).size)
    // The content behind the link, not an archive of the link itself (an empty space exports as 29 bytes).
    expect(await entriesOf(file)).toEqual({ 'a.txt': 'a' })
  })
})
