/**
 * One trash for every deletion: deleteScratch, clearScratchspaces, `scratch clear`, the import
 * replacement, the full gc and the scoped sweep all move spaces through the same function, which
 * never renames into a trash that is not a real directory inside the store, and never through a
 * namespace directory that is a link.
 */
import fs from 'node:fs'
import path from 'node:path'
import { clearSpaces, runGc, scopedSweep } from '../../src/gc'
import { clearScratchspaces, deleteScratch, getScratch } from '../../src/runtime/spaces'
import { importScratch, exportScratch } from '../../src'
import { listTree } from '../helpers/tmp'
import { useSandbox } from '../runtime/support'
import { DAY, makeSpace, npmProject, recordUse } from '../gc/support'
import { bookkeepingDir, trashDir } from '../../src/runtime/layout'

const box = useSandbox()

/** Records, for every rename, the real directory its destination was in at the time. */
function watchRenames(): string[] {
  const real = fs.renameSync
  const landed: string[] = []
  jest.spyOn(fs, 'renameSync').mockImplementation(((from: fs.PathLike, to: fs.PathLike) => {
    try {
      landed.push(fs.realpathSync(path.dirname(String(to))))
    } catch {
      landed.push(path.dirname(String(to)))
    }
    return real(from, to)
  }) as typeof fs.renameSync)
  return landed
}

/** An outside directory (with a file in it), and the store's trash replaced by a link to it. */
function trashLinkedOut(): { outside: string; before: string[] } {
  const outside = path.join(box.tmp, 'outside')
  fs.mkdirSync(outside, { recursive: true })
  fs.writeFileSync(path.join(outside, 'precious'), 'p')
  fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
  fs.rmSync(trashDir(box.store), { recursive: true, force: true })
  fs.symlinkSync(outside, trashDir(box.store))
  return { outside, before: listTree(outside) }
}

function expectOnlyInside(landed: string[], outside: string): void {
  expect(landed.length).toBeGreaterThan(0)
  const store = fs.realpathSync(box.store)
  for (const dir of landed) {
    expect(dir.startsWith(store + path.sep) || dir === store).toBe(true)
    expect(dir.startsWith(outside)).toBe(false)
  }
}

describe('a trash replaced by a link to outside the store is never renamed into', () => {
  test('deleteScratch', () => {
    const dir = getScratch('k', { name: 'pkg-a' })
    const { outside, before } = trashLinkedOut()
    const landed = watchRenames()
    expect(deleteScratch('k', { name: 'pkg-a' })).toBe(true)
    expect(fs.existsSync(dir)).toBe(false)
    expectOnlyInside(landed, outside)
    expect(listTree(outside)).toEqual(before)
    expect(fs.lstatSync(trashDir(box.store)).isDirectory()).toBe(true)
  })

  test('clearScratchspaces and clearSpaces', async () => {
    getScratch('k', { name: 'pkg-a' })
    getScratch('k', { name: 'pkg-b' })
    const { outside, before } = trashLinkedOut()
    const landed = watchRenames()
    expect(clearScratchspaces({ name: 'pkg-a' }).removed).toHaveLength(1)
    fs.rmSync(trashDir(box.store), { recursive: true })
    fs.symlinkSync(outside, trashDir(box.store))
    expect((await clearSpaces({ owners: ['pkg-b'] })).spaces).toMatchObject([{ action: 'deleted' }])
    expectOnlyInside(landed, outside)
    expect(listTree(outside)).toEqual(before)
  })

  test('importScratch replacing an existing space', async () => {
    const dir = getScratch('k', { name: 'pkg-a' })
    fs.writeFileSync(path.join(dir, 'old'), 'o')
    const archive = path.join(box.tmp, 'a.tgz')
    await exportScratch('k', { name: 'pkg-a' }, archive)
    fs.writeFileSync(path.join(dir, 'newer'), 'n')
    const { outside, before } = trashLinkedOut()
    const landed = watchRenames()
    await importScratch(archive, 'k', { name: 'pkg-a' })
    expect(fs.readdirSync(dir)).toEqual(['old'])
    expectOnlyInside(landed, outside)
    expect(listTree(outside)).toEqual(before)
  })

  test('the scoped sweep and the full gc', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-b'])
    makeSpace(box.store, 'pkg-a', 'cache', 10, 9 * DAY)
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1, Date.now() - 9 * DAY)
    makeSpace(box.store, 'gone', 'cache', 10, 9 * DAY)
    const { outside, before } = trashLinkedOut()
    const landed = watchRenames()
    expect(scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b'] }).spaces).toMatchObject([{ owner: 'pkg-a', action: 'deleted' }])
    fs.rmSync(trashDir(box.store), { recursive: true })
    fs.symlinkSync(outside, trashDir(box.store))
    const report = await runGc()
    expect(report.spaces.find((s) => s.owner === 'gone')).toMatchObject({ action: 'deleted' })
    expectOnlyInside(landed, outside)
    expect(listTree(outside)).toEqual(before)
  })

  test('a bookkeeping directory that is itself a link: the space is moved beside itself, never into the link', () => {
    const dir = getScratch('k', { name: 'pkg-a' })
    const outside = path.join(box.tmp, 'outside-book')
    fs.mkdirSync(path.join(outside, 'trash'), { recursive: true })
    fs.renameSync(bookkeepingDir(box.store), path.join(box.tmp, 'real-book'))
    fs.symlinkSync(outside, bookkeepingDir(box.store))
    const landed = watchRenames()
    expect(deleteScratch('k', { name: 'pkg-a' })).toBe(true)
    expect(fs.existsSync(dir)).toBe(false)
    expectOnlyInside(landed, outside)
    expect(listTree(outside)).toEqual(['trash/'])
  })
})

describe('a namespace directory that is a link is never traversed', () => {
  function ownerLinkedOut(owner: string): { outside: string; before: string[] } {
    const outside = path.join(box.tmp, 'victim')
    fs.mkdirSync(path.join(outside, 'k'), { recursive: true })
    fs.writeFileSync(path.join(outside, 'k', 'data'), 'precious')
    fs.mkdirSync(box.store, { recursive: true })
    fs.symlinkSync(outside, path.join(box.store, owner))
    return { outside, before: listTree(outside) }
  }

  test('deleteScratch through it throws ERR_SCRATCH_NOT_WRITABLE and moves nothing', () => {
    const { outside, before } = ownerLinkedOut('pkg-v')
    expect(() => deleteScratch('k', { name: 'pkg-v' })).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_NOT_WRITABLE', message: expect.stringContaining('pkg-v') }))
    expect(listTree(outside)).toEqual(before)
  })

  test('the scoped sweep, asked by a record about a space under it, leaves it alone', () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-b'])
    const { outside, before } = ownerLinkedOut('pkg-v')
    recordUse(box.store, { owner: 'pkg-b', key: 'k', caller: 'pkg-v' }, p1, Date.now() - 9 * DAY)
    recordUse(box.store, { owner: 'pkg-v', key: 'k' }, p1, Date.now() - 9 * DAY)
    const report = scopedSweep({ projectDir: p1, names: ['p1'] })
    expect(report.spaces.filter((s) => s.owner === 'pkg-v')).toEqual([])
    expect(listTree(outside)).toEqual(before)
  })

  test('a scoped owner (@scope) that is a link', async () => {
    const outside = path.join(box.tmp, 'victim-scope')
    fs.mkdirSync(path.join(outside, 'name', 'k'), { recursive: true })
    fs.writeFileSync(path.join(outside, 'name', 'k', 'data'), 'precious')
    fs.mkdirSync(box.store, { recursive: true })
    fs.symlinkSync(outside, path.join(box.store, '@scope'))
    expect(() => deleteScratch('k', { name: '@scope/name' })).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_NOT_WRITABLE' }))
    expect(listTree(outside)).toEqual(['name/', 'name/k/', 'name/k/data'])
  })
})
