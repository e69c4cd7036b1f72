/**
 * The install-time sweep's removal after it returns (src/gc/remove-later.ts): the doomed spaces
 * are out of sight when the sweep returns, their files go on the event loop afterwards, and a
 * process that exits first finishes them in its `exit` listener.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { scopedSweep } from '../../src/gc'
import { removalsSettled, removeLater } from '../../src/gc/remove-later'
import { trashDir } from '../../src/runtime/layout'
import { builtRuntime, repoRoot } from '../helpers/dist'
import { useSandbox } from '../runtime/support'
import { projectUsingAandB } from './support'

/** Fills `dir` with `count` files in two subdirectories. */
function fill(dir: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const sub = path.join(dir, `d${i % 2}`)
    fs.mkdirSync(sub, { recursive: true })
    fs.writeFileSync(path.join(sub, `f${i}`), Buffer.alloc(1024, i))
  }
}

function countFiles(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => sum + (entry.isDirectory() ? countFiles(path.join(dir, entry.name)) : 1), 0)
}

function trashEntries(store: string): string[] {
  return fs.existsSync(trashDir(store)) ? fs.readdirSync(trashDir(store)) : []
}

describe('removing after the sweep', () => {
  const box = useSandbox()

  test('removeLater: the space is out of its place when the sweep returns, in the trash whole, and gone once settled', async () => {
    const { p1, a, b } = projectUsingAandB(box.tmp, box.store)
    fill(a, 40)
    const report = scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b'], removeLater: true })
    expect(report.spaces.map((s) => [s.owner, s.action])).toEqual([['pkg-a', 'deleted']])
    expect(report.freedBytes).toBe(100 + 40 * 1024)
    expect(fs.existsSync(a)).toBe(false)
    // The call started at most four unlinks (on the thread pool); the rest wait for the event loop.
    const [entry] = trashEntries(box.store)
    expect(countFiles(path.join(trashDir(box.store), entry))).toBeGreaterThanOrEqual(41 - 4)
    await removalsSettled()
    expect(trashEntries(box.store)).toEqual([])
    expect(fs.existsSync(b)).toBe(true)
  })

  test('without removeLater the sweep removes the tree before it returns (the CLI, the yarn plugin, pnpm 12)', () => {
    const { p1, a } = projectUsingAandB(box.tmp, box.store)
    fill(a, 10)
    scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b'] })
    expect(trashEntries(box.store)).toEqual([])
  })

  test('a second sweep in the same process leaves a tree being removed to its remover and still settles', async () => {
    const { p1, a, b } = projectUsingAandB(box.tmp, box.store)
    fill(a, 20)
    scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b'], removeLater: true })
    const report = scopedSweep({ projectDir: p1, names: ['p1'], removeLater: true })
    expect(report.spaces.map((s) => [s.owner, s.action])).toEqual([['pkg-b', 'deleted']])
    expect(report.warnings).toEqual([])
    expect(fs.existsSync(b)).toBe(false)
    await removalsSettled()
    expect(trashEntries(box.store)).toEqual([])
  })

  test('a tree someone else removed meanwhile, or replaced by a file, settles without an error', async () => {
    const gone = path.join(box.tmp, 'gone')
    const swapped = path.join(box.tmp, 'swapped')
    fill(gone, 8)
    fill(swapped, 8)
    expect(removeLater(gone, 100)).toBe(true)
    expect(removeLater(swapped, 100)).toBe(true)
    fs.rmSync(gone, { recursive: true })
    fs.rmSync(swapped, { recursive: true })
    fs.writeFileSync(swapped, 'a file now')
    await removalsSettled()
    expect([fs.existsSync(gone), fs.existsSync(swapped)]).toEqual([false, false])
  })

  test('a tree deeper than the listed paths reach is finished by the tree remover', async () => {
    const tree = path.join(box.tmp, 'deep')
    let dir = tree
    for (let depth = 0; depth < 40; depth++) dir = path.join(dir, 'd'.repeat(30))
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, 'leaf'), 'x')
    expect(path.join(dir, 'leaf').length).toBeGreaterThan(1024)
    expect(removeLater(tree, 100)).toBe(true)
    await removalsSettled()
    expect(fs.existsSync(tree)).toBe(false)
  })

  test('more entries than allowed: nothing is taken, nothing is removed', () => {
    const tree = path.join(box.tmp, 'big')
    fill(tree, 10)
    expect(removeLater(tree, 5)).toBe(false)
    expect(fs.readdirSync(path.join(tree, 'd0')).length).toBe(5)
  })

  test('past its deadline no unlink is started: the tree stays in the trash as it is, for the next run', async () => {
    const tree = path.join(box.tmp, 'late')
    fill(tree, 10)
    expect(removeLater(tree, 100, Date.now() - 1)).toBe(true)
    await removalsSettled()
    expect(countFiles(tree)).toBe(10)
  })

  test('a file handed over alone is removed; a missing one is not taken', async () => {
    const file = path.join(box.tmp, 'lone')
    fs.writeFileSync(file, 'x')
    expect(removeLater(file, 10)).toBe(true)
    expect(removeLater(path.join(box.tmp, 'missing'), 10)).toBe(false)
    await removalsSettled()
    expect(fs.existsSync(file)).toBe(false)
  })

  test('a process that exits (process.exit) right after the sweep finishes the removal in its exit listener', () => {
    const { p1, a } = projectUsingAandB(box.tmp, box.store)
    fill(a, 200)
    builtRuntime()
    const script = `const { scopedSweep } = require(${JSON.stringify(path.join(repoRoot, 'dist', 'gc.cjs'))})
      const report = scopedSweep({ projectDir: ${JSON.stringify(p1)}, names: ['p1', 'pkg-b'], removeLater: true })
      const fs = require('node:fs')
      const trash = ${JSON.stringify(trashDir(box.store))}
      const inside = fs.readdirSync(trash).flatMap((entry) => fs.readdirSync(trash + '/' + entry))
      console.log(JSON.stringify({ action: report.spaces[0].action, inside: inside.length }))
      process.exit(0)`
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, SCRATCHSPACE_DIR: box.store }, encoding: 'utf8' })) as { action: string; inside: number }
    // The tree was still (mostly) there when the sweep returned; exiting did not leave it behind.
    expect(out).toEqual({ action: 'deleted', inside: expect.any(Number) })
    expect(out.inside).toBeGreaterThan(0)
    expect(fs.existsSync(a)).toBe(false)
    expect(trashEntries(box.store)).toEqual([])
  })
})
