/** Releasing the store lock removes it whole, whatever was planted inside, and nothing outside it. */
import fs from 'node:fs'
import path from 'node:path'
import { lockPath, tryAcquireLock } from '../../src/store/lock'
import { bookkeepingDir } from '../../src/runtime/layout'
import { useSandbox } from '../runtime/support'

describe('releasing the lock', () => {
  const box = useSandbox()

  test('leaves neither the lock nor its renamed copy in the bookkeeping directory', () => {
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    const lock = tryAcquireLock(box.store, 'test')
    expect(lock).not.toBeNull()
    expect(fs.readdirSync(lockPath(box.store)).sort()).toEqual([expect.stringMatching(/^owner\.\d+\./), 'owner.json'].sort())
    lock!.release()
    expect(fs.readdirSync(bookkeepingDir(box.store))).toEqual([])
  })

  test('a directory and a link planted inside go too; what the link points at stays', () => {
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    const outside = path.join(box.tmp, 'outside.txt')
    fs.writeFileSync(outside, 'not the store\'s')
    const lock = tryAcquireLock(box.store, 'test')!
    fs.mkdirSync(path.join(lockPath(box.store), 'planted', 'deeper'), { recursive: true })
    fs.writeFileSync(path.join(lockPath(box.store), 'planted', 'deeper', 'file'), 'x')
    fs.symlinkSync(outside, path.join(lockPath(box.store), 'link'))
    lock.release()
    expect(fs.readdirSync(bookkeepingDir(box.store))).toEqual([])
    expect(fs.readFileSync(outside, 'utf8')).toBe('not the store\'s')
  })
})
