/** Deleting spaces: whole or gone, never following links out of the store (SPEC §3, pitfalls 23–25). */
import fs from 'node:fs'
import path from 'node:path'
import { clearScratchspaces, deleteScratch, getScratch } from '../../src'
import { listTree } from '../helpers/tmp'
import { errnoError, useSandbox } from './support'
import { trashDir } from '../../src/runtime/layout'

const box = useSandbox()
const owner = { name: 'p' }
let outside: string
beforeEach(() => {
  outside = path.join(box.tmp, 'outside')
  fs.mkdirSync(outside)
  fs.writeFileSync(path.join(outside, 'precious'), 'x'.repeat(1000))
})

test('a space that is a symlink is removed as the link; its target is untouched', () => {
  getScratch('real', owner)
  fs.symlinkSync(outside, path.join(box.store, 'p', 'linked'), 'dir')
  expect(deleteScratch('linked', owner)).toBe(true)
  expect(fs.existsSync(path.join(box.store, 'p', 'linked'))).toBe(false)
  expect(listTree(outside)).toEqual(['precious'])
})

test('links inside a space are not followed, and count their own size only', () => {
  const dir = getScratch('k', owner)
  fs.writeFileSync(path.join(dir, 'own'), 'abc')
  fs.symlinkSync(outside, path.join(dir, 'to-dir'), 'dir')
  fs.symlinkSync(path.join(outside, 'precious'), path.join(dir, 'to-file'))
  const linkBytes = fs.lstatSync(path.join(dir, 'to-dir')).size + fs.lstatSync(path.join(dir, 'to-file')).size
  expect(clearScratchspaces(owner)).toEqual({ removed: [dir], bytes: 3 + linkBytes })
  expect(listTree(outside)).toEqual(['precious'])
  expect(fs.readFileSync(path.join(outside, 'precious'), 'utf8')).toHaveLength(1000)
})

test('deletion leaves no trash behind and prunes the emptied namespace, but not a busy one', () => {
  getScratch('a', owner)
  getScratch('b', owner)
  fs.writeFileSync(path.join(getScratch('c', owner), 'f'), 'data')
  expect(deleteScratch('c', owner)).toBe(true)
  expect(deleteScratch('a', owner)).toBe(true)
  expect(fs.readdirSync(path.join(box.store, 'p'))).toEqual(['b'])
  expect(deleteScratch('b', owner)).toBe(true)
  expect(fs.existsSync(path.join(box.store, 'p'))).toBe(false)
  expect(fs.readdirSync(trashDir(box.store))).toEqual([])
})

test('read-only content inside a space is made writable and deleted', () => {
  const dir = getScratch('k', owner)
  fs.mkdirSync(path.join(dir, 'ro'))
  fs.writeFileSync(path.join(dir, 'ro', 'f'), 'x')
  fs.chmodSync(path.join(dir, 'ro', 'f'), 0o400)
  fs.chmodSync(path.join(dir, 'ro'), 0o500)
  // Root may delete anyway: make the first attempt fail as it would for a normal user.
  const unlinkSync = fs.unlinkSync
  const modes: string[] = []
  jest.spyOn(fs, 'unlinkSync').mockImplementationOnce(() => { throw errnoError('EACCES', 'unlink') }).mockImplementation((target) => {
    modes.push((fs.statSync(path.dirname(String(target))).mode & 0o777).toString(8))
    unlinkSync(target)
  })
  expect(deleteScratch('k', owner)).toBe(true)
  expect(modes).toEqual(['700'])
  expect(fs.existsSync(dir)).toBe(false)
  expect(fs.readdirSync(trashDir(box.store))).toEqual([])
})

test('when the trash is on another filesystem (EXDEV) the space is moved aside next to itself, then removed', () => {
  const dir = getScratch('k', owner)
  fs.writeFileSync(path.join(dir, 'f'), 'x')
  getScratch('other', owner)
  const renameSync = fs.renameSync
  jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
    if (String(to).includes(`${path.sep}trash${path.sep}`)) throw errnoError('EXDEV', 'rename')
    renameSync(from, to)
  })
  expect(deleteScratch('k', owner)).toBe(true)
  expect(fs.readdirSync(path.join(box.store, 'p'))).toEqual(['other'])
})
