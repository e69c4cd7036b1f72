/** Entry names that are not valid UTF-8 (extracted archives, other systems) are sized and removed like any other. */
import fs from 'node:fs'
import path from 'node:path'
import { deleteScratch, getScratch } from '../../src'
import { measureTree } from '../../src/runtime/tree'
import { removeTree } from '../../src/runtime/tree-remove'
import { useSandbox } from './support'
import { trashDir } from '../../src/runtime/layout'

/** Writes, inside `dir`, a 0xff-named directory holding a 0xfe-named 300-byte file, and a 0xfd-named 200-byte file. */
function plantByteNames(dir: string): void {
  const bytes = (name: number[]): Buffer => Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(name)])
  const sub = bytes([0x61, 0xff])
  fs.mkdirSync(sub)
  fs.writeFileSync(Buffer.concat([sub, Buffer.from('/'), Buffer.from([0xfe])]), Buffer.alloc(300))
  fs.writeFileSync(bytes([0xfd, 0x62]), Buffer.alloc(200))
}

describe('names that are not UTF-8', () => {
  const box = useSandbox()

  test('are sized with their real sizes and removed, at any place in the tree', () => {
    const dir = path.join(box.tmp, 'tree')
    fs.mkdirSync(dir)
    plantByteNames(dir)
    expect(measureTree(dir)).toMatchObject({ bytes: 500, freeBytes: 500, entries: 3, complete: true })
    expect(removeTree(dir)).toBe(true)
    expect(fs.existsSync(dir)).toBe(false)
  })

  test('deleteScratch removes a space holding them', () => {
    const space = getScratch('cache', { name: 'pkg-a' })
    plantByteNames(space)
    expect(deleteScratch('cache', { name: 'pkg-a' })).toBe(true)
    expect(fs.existsSync(space)).toBe(false)
    expect(fs.readdirSync(trashDir(box.store), { encoding: 'buffer' })).toEqual([])
  })
})
