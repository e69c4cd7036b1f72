/**
 * The store check of a process's first call (docs/design.md, "The first call"): one lstat of
 * `.scratch` stands in for the full classification when it finds a real directory. Against
 * real roots of every shape, the check with that shortcut must decide what the full `storeMark`
 * decides, mark only stores, and leave everything else as it was.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { getScratch } from '../../src'
import { BOOKKEEPING_DIR, CACHEDIR_TAG, CACHEDIR_TAG_CONTENT, STORE_FORMAT, formatPath } from '../../src/runtime/layout'
import { hasBookkeepingDir, storeMark } from '../../src/runtime/store-mark'
import { prepareStoreRoot } from '../../src/runtime/store-root'
import { listTree } from '../helpers/tmp'
import { readLog, useSandbox } from './support'

const box = useSandbox()

type Shape = (root: string, outside: string) => void

const shapes: Record<string, Shape> = {
  'missing root': () => {},
  'empty directory': (root) => { fs.mkdirSync(root) },
  'a store (real .scratch directory)': (root) => { fs.mkdirSync(path.join(root, BOOKKEEPING_DIR), { recursive: true }) },
  'a store of a newer format': (root) => {
    fs.mkdirSync(path.join(root, BOOKKEEPING_DIR), { recursive: true })
    fs.writeFileSync(formatPath(root), `${STORE_FORMAT + 1}\n`)
  },
  'only our CACHEDIR.TAG': (root) => {
    fs.mkdirSync(root)
    fs.writeFileSync(path.join(root, CACHEDIR_TAG), CACHEDIR_TAG_CONTENT)
  },
  'another program\'s files': (root) => {
    fs.mkdirSync(root)
    fs.writeFileSync(path.join(root, 'their-cache.bin'), 'x')
  },
  '.scratch is a link to a directory elsewhere': (root, outside) => {
    fs.mkdirSync(root)
    fs.symlinkSync(outside, path.join(root, BOOKKEEPING_DIR), 'dir')
  },
  '.scratch is a regular file': (root) => {
    fs.mkdirSync(root)
    fs.writeFileSync(path.join(root, BOOKKEEPING_DIR), 'x')
  },
  '.scratch is a FIFO': (root) => {
    fs.mkdirSync(root)
    execFileSync('mkfifo', [path.join(root, BOOKKEEPING_DIR)])
  },
  'the root is a link to a store': (root) => {
    const real = path.join(path.dirname(root), 'real-store')
    fs.mkdirSync(path.join(real, BOOKKEEPING_DIR), { recursive: true })
    fs.symlinkSync(real, root, 'dir')
  },
  'the root is a regular file': (root) => { fs.writeFileSync(root, 'x') },
  'the root lies below a regular file': (root) => {
    fs.rmdirSync(path.dirname(root))
    fs.writeFileSync(path.dirname(root), 'x')
  },
}

/** What the full classification says, or the error code it throws. */
function fullMark(root: string): string {
  try {
    return storeMark(root)
  } catch (err) {
    return `throws ${(err as NodeJS.ErrnoException).code}`
  }
}

describe.each(Object.entries(shapes))('%s', (_label, shape) => {
  let root: string
  let outside: string
  beforeEach(() => {
    outside = path.join(box.tmp, 'outside')
    fs.mkdirSync(outside)
    fs.writeFileSync(path.join(outside, 'precious'), 'keep')
    const parent = path.join(box.tmp, 'parent')
    fs.mkdirSync(parent)
    root = path.join(parent, 'store')
    shape(root, outside)
  })

  test('the check decides what the full classification decides; a foreign root is left as it was', () => {
    const mark = fullMark(root)
    // The shortcut claims only what the full classification says too.
    if (hasBookkeepingDir(root)) expect(mark).toBe('marked')
    const listParent = (): string[] => fs.statSync(path.dirname(root)).isDirectory() ? listTree(path.dirname(root)) : []
    const before = { root: listParent(), outside: listTree(outside) }
    let result: string
    try {
      result = String(prepareStoreRoot(root))
    } catch (err) {
      result = `throws ${(err as NodeJS.ErrnoException).code}`
    }
    expect(result).toBe(mark.startsWith('throws') ? mark : String(mark !== 'foreign'))
    expect(listTree(outside)).toEqual(before.outside)
    if (result === 'true') {
      expect(fs.lstatSync(path.join(root, BOOKKEEPING_DIR)).isDirectory()).toBe(true)
      expect(fs.existsSync(formatPath(root))).toBe(true)
      expect(fs.existsSync(path.join(root, CACHEDIR_TAG))).toBe(true)
    } else {
      expect(listParent()).toEqual(before.root)
    }
  })
})

test('a store of a newer format keeps its format file, and getScratch records in it', () => {
  fs.mkdirSync(path.join(box.store, BOOKKEEPING_DIR), { recursive: true })
  fs.writeFileSync(formatPath(box.store), `${STORE_FORMAT + 1}\n`)
  const dir = getScratch('k', { name: 'p' })
  expect(fs.statSync(dir).isDirectory()).toBe(true)
  expect(fs.readFileSync(formatPath(box.store), 'utf8')).toBe(`${STORE_FORMAT + 1}\n`)
  expect(readLog(box.store).records.map((r) => r.space)).toEqual(['p/k'])
})

test('a .scratch linked out of the store: getScratch works, warns, and writes nothing through the link', () => {
  const outside = path.join(box.tmp, 'outside')
  fs.mkdirSync(outside)
  fs.mkdirSync(box.store)
  fs.symlinkSync(outside, path.join(box.store, BOOKKEEPING_DIR), 'dir')
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
  const dir = getScratch('k', { name: 'p' })
  expect(fs.statSync(dir).isDirectory()).toBe(true)
  expect(listTree(outside)).toEqual([])
  expect(fs.existsSync(path.join(box.store, CACHEDIR_TAG))).toBe(false)
  expect(stderr.mock.calls.join('')).toContain('is not a scratch store')
})
