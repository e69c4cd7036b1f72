/**
 * Creating a space's directories while a gc prunes empty namespaces: a directory that existed
 * when `mkdir` said EEXIST and is gone when it is checked is made again, never an error. The
 * prune has to land between two system calls, which a real concurrent pruner does only now and
 * then (test/stress/concurrency.test.ts); here the check is made to find it gone, once.
 */
import fs from 'node:fs'
import path from 'node:path'
import { makeDirs, makeTempDir } from '../../src/runtime/dirs'
import { useSandbox } from './support'

describe('makeDirs against a concurrent prune', () => {
  const box = useSandbox()
  afterEach(() => jest.restoreAllMocks())

  /** Makes `dir` exist, then has the next `stat` of it find it pruned (removed for real first). */
  function prunedBetweenMkdirAndStat(dir: string): void {
    fs.mkdirSync(dir, { recursive: true })
    const real = fs.statSync
    let pruned = false
    jest.spyOn(fs, 'statSync').mockImplementation(((file: fs.PathLike, opts?: fs.StatSyncOptions) => {
      if (!pruned && file === dir) {
        pruned = true
        fs.rmdirSync(dir)
      }
      return real(file, opts)
    }) as typeof fs.statSync)
  }

  test('a namespace pruned between EEXIST and the check is made again', () => {
    const namespace = path.join(box.store, 'pkg-a')
    prunedBetweenMkdirAndStat(namespace)
    makeDirs(namespace)
    expect(fs.statSync(namespace).isDirectory()).toBe(true)
  })

  test('the temp directory of ensureScratch is made when its namespace is pruned at that moment', () => {
    const namespace = path.join(box.store, 'pkg-b')
    prunedBetweenMkdirAndStat(namespace)
    const temp = makeTempDir(namespace, '.k.tmp-x')
    expect(fs.statSync(temp).isDirectory()).toBe(true)
  })

  test('a file where a directory should be is still an error', () => {
    const file = path.join(box.store, 'pkg-c')
    fs.mkdirSync(box.store, { recursive: true })
    fs.writeFileSync(file, '')
    expect(() => makeDirs(file)).toThrow(expect.objectContaining({ code: 'EEXIST' }))
  })
})
