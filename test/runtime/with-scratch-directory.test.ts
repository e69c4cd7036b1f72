/** withScratchDirectory: a root override scoped to one call and its async work (SPEC §2, pitfall 7). */
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ensureScratch, getScratch, scratchDir, withScratchDirectory } from '../../src'
import { readLog, useSandbox } from './support'

const box = useSandbox()

test('the override holds inside the call only, and returns what fn returns', () => {
  const other = path.join(box.tmp, 'other')
  const result = withScratchDirectory(other, () => {
    expect(scratchDir()).toBe(other)
    return getScratch('k', { name: 'p' })
  })
  expect(result).toBe(path.join(other, 'p', 'k'))
  expect(scratchDir()).toBe(box.store)
  expect(getScratch('k', { name: 'p' })).toBe(path.join(box.store, 'p', 'k'))
})

test('overrides nest, and a relative dir resolves against the cwd', () => {
  const outer = path.join(box.tmp, 'outer')
  const inner = path.join(box.tmp, 'inner')
  withScratchDirectory(outer, () => {
    withScratchDirectory(inner, () => expect(scratchDir()).toBe(inner))
    expect(scratchDir()).toBe(outer)
  })
  withScratchDirectory('rel', () => expect(scratchDir()).toBe(path.resolve('rel')))
})

test('two overlapping async calls each keep their own root across awaits and timers', async () => {
  const a = path.join(box.tmp, 'a')
  const b = path.join(box.tmp, 'b')
  const seen: Record<string, string[]> = { a: [], b: [] }
  const task = (label: 'a' | 'b', delays: number[]) => async (): Promise<void> => {
    for (const ms of delays) {
      await sleep(ms)
      seen[label].push(scratchDir())
      await new Promise<void>((resolve) => setTimeout(() => { seen[label].push(scratchDir()); resolve() }, 1))
      await ensureScratch('k', { name: label }, (dir) => fs.writeFileSync(path.join(dir, 'f'), label))
    }
  }
  await Promise.all([withScratchDirectory(a, task('a', [5, 1, 3])), withScratchDirectory(b, task('b', [1, 4, 1]))])
  expect(seen).toEqual({ a: Array(6).fill(a), b: Array(6).fill(b) })
  expect(fs.readFileSync(path.join(a, 'a', 'k', 'f'), 'utf8')).toBe('a')
  expect(fs.readFileSync(path.join(b, 'b', 'k', 'f'), 'utf8')).toBe('b')
  expect(fs.existsSync(box.store)).toBe(false)
})

test('the access log and CACHEDIR.TAG follow the overridden root', () => {
  const other = path.join(box.tmp, 'other')
  withScratchDirectory(other, () => getScratch('k', { name: 'p' }))
  expect(readLog(other).records).toEqual([expect.objectContaining({ space: 'p/k' })])
  expect(fs.existsSync(path.join(other, 'CACHEDIR.TAG'))).toBe(true)
  expect(fs.existsSync(box.store)).toBe(false)
  // The same space in another root is a different space: it is recorded there too.
  getScratch('k', { name: 'p' })
  expect(readLog(box.store).records).toHaveLength(1)
  expect(readLog(other).records).toHaveLength(1)
})

test('an error thrown by fn propagates and ends the override', () => {
  expect(() => withScratchDirectory(path.join(box.tmp, 'x'), () => { throw new Error('inner') })).toThrow('inner')
  expect(scratchDir()).toBe(box.store)
})
