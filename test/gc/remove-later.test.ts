/**
 * The install-time sweep's removal after it returns (src/gc/remove-later.ts): the doomed spaces
 * are out of sight when the sweep returns, a worker thread of the same process removes them
 * afterwards with the sweep's tree remover, and a process that exits first finishes them in its
 * `exit` listener. The worker loads the built gc bundle, so these run `dist/gc.cjs` in a child.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { scopedSweep } from '../../src/gc'
import { lastEmptierPath } from '../../src/gc/background'
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

function trashEntries(store: string): string[] {
  return fs.existsSync(trashDir(store)) ? fs.readdirSync(trashDir(store)) : []
}

/**
 * Runs `body` in a fresh node process after a sweep of `p1` dropping pkg-a, handed to the worker at once (`removeLaterAfterMs: 0`)
 * (`report` and `trash` in scope), and returns what it prints. `uid`: run as that user.
 */
function sweepInChild(store: string, p1: string, body: string, uid?: number, afterMs = 0): Record<string, unknown> {
  builtRuntime()
  const script = `const fs = require('node:fs')
    const { scopedSweep } = require(${JSON.stringify(path.join(repoRoot, 'dist', 'gc.cjs'))})
    const trash = ${JSON.stringify(trashDir(store))}
    const count = (dir) => fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? count(dir + '/' + e.name) : 1), 0)
    const report = scopedSweep({ projectDir: ${JSON.stringify(p1)}, names: ['p1', 'pkg-b'], removeLaterAfterMs: ${afterMs} })
    ${body}`
  const [command, args] = uid === undefined
    ? [process.execPath, ['-e', script]]
    : ['setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', process.execPath, '-e', script]]
  const out = execFileSync(command, args, { env: { ...process.env, SCRATCHSPACE_DIR: store }, encoding: 'utf8' })
  return JSON.parse(out) as Record<string, unknown>
}

describe('removing after the sweep', () => {
  const box = useSandbox()

  test('the space is out of its place when the sweep returns, still in the trash, and gone from the disk once the process has exited', () => {
    const { p1, a, b } = projectUsingAandB(box.tmp, box.store)
    fill(a, 40)
    const out = sweepInChild(box.store, p1, `
      const [entry] = fs.readdirSync(trash)
      console.log(JSON.stringify({ action: report.spaces[0].action, freed: report.freedBytes, inside: count(trash + '/' + entry) }))`)
    expect(out).toEqual({ action: 'deleted', freed: 100 + 40 * 1024, inside: expect.any(Number) })
    // Removing within the sweep would have left nothing there.
    expect(out.inside).toBeGreaterThan(0)
    expect(fs.existsSync(a)).toBe(false)
    expect(trashEntries(box.store)).toEqual([])
    expect(fs.existsSync(b)).toBe(true)
  })

  test('a removal over before the handover time starts no worker: the trash is empty when the sweep returns', () => {
    const { p1, a } = projectUsingAandB(box.tmp, box.store)
    fill(a, 4)
    const out = sweepInChild(box.store, p1, `
      console.log(JSON.stringify({ action: report.spaces[0].action, trash: fs.readdirSync(trash).length }))`, undefined, 200)
    expect(out).toEqual({ action: 'deleted', trash: 0 })
  })

  test('without a bundle to load in a worker (running from the sources) the sweep removes the tree before it returns', () => {
    const { p1, a } = projectUsingAandB(box.tmp, box.store)
    fill(a, 10)
    scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b'], removeLaterAfterMs: 0 })
    expect(trashEntries(box.store)).toEqual([])
  })

  test('a process that exits (process.exit) right after the sweep finishes the removal in its exit listener', () => {
    const { p1, a } = projectUsingAandB(box.tmp, box.store)
    fill(a, 200)
    const out = sweepInChild(box.store, p1, `
      const inside = fs.readdirSync(trash).map((entry) => count(trash + '/' + entry)).reduce((x, y) => x + y, 0)
      console.log(JSON.stringify({ action: report.spaces[0].action, inside }))
      process.exit(0)`)
    expect(out.action).toBe('deleted')
    expect(out.inside).toBeGreaterThan(0)
    expect(trashEntries(box.store)).toEqual([])
  })

  test('a second sweep in the same process leaves a tree being removed to its worker: no emptier is started for it', () => {
    const { p1, a, b } = projectUsingAandB(box.tmp, box.store)
    fill(a, 20)
    const out = sweepInChild(box.store, p1, `
      const second = scopedSweep({ projectDir: ${JSON.stringify(p1)}, names: ['p1'], removeLaterAfterMs: 0 })
      console.log(JSON.stringify({ first: report.spaces.map((s) => s.owner + ' ' + s.action), second: second.spaces.map((s) => s.owner + ' ' + s.action), warnings: second.warnings }))`)
    expect(out).toEqual({ first: ['pkg-a deleted'], second: ['pkg-b deleted'], warnings: [] })
    expect([fs.existsSync(a), fs.existsSync(b)]).toEqual([false, false])
    expect(fs.existsSync(lastEmptierPath(box.store))).toBe(false)
    expect(trashEntries(box.store)).toEqual([])
  })

  test('a worker that never returns (a bundle replaced meanwhile) is stopped: the host still exits, the tree waits in the trash', () => {
    const { p1, a } = projectUsingAandB(box.tmp, box.store)
    fill(a, 10)
    builtRuntime()
    const copy = path.join(box.tmp, 'dist-copy')
    fs.cpSync(path.join(repoRoot, 'dist'), copy, { recursive: true })
    const script = `const fs = require('node:fs')
      const { scopedSweep } = require(${JSON.stringify(path.join(copy, 'gc.cjs'))})
      // Loaded here already; the worker loads the file as it is now.
      fs.writeFileSync(${JSON.stringify(path.join(copy, 'gc.cjs'))}, 'exports.runRemoveWorker = () => { setInterval(() => {}, 1000) }')
      const report = scopedSweep({ projectDir: ${JSON.stringify(p1)}, names: ['p1', 'pkg-b'], removeLaterAfterMs: 0 })
      console.log(JSON.stringify({ action: report.spaces[0].action }))`
    const started = Date.now()
    const out = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, SCRATCHSPACE_DIR: box.store }, encoding: 'utf8', timeout: 10_000 })
    expect(JSON.parse(out)).toEqual({ action: 'deleted' })
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(trashEntries(box.store)).toHaveLength(1)
  })

  test('a trash replaced by a link after the sweep returned is not entered: what the link points at stays', () => {
    const { p1, a } = projectUsingAandB(box.tmp, box.store)
    fill(a, 20)
    const outside = path.join(box.tmp, 'outside')
    fs.mkdirSync(outside)
    const out = sweepInChild(box.store, p1, `
      const [entry] = fs.readdirSync(trash)
      fs.renameSync(trash, trash + '.moved')
      fs.mkdirSync(${JSON.stringify(outside)} + '/' + entry + '/d0', { recursive: true })
      fs.writeFileSync(${JSON.stringify(outside)} + '/' + entry + '/d0/f0', 'precious')
      fs.symlinkSync(${JSON.stringify(outside)}, trash)
      console.log(JSON.stringify({ entry }))`)
    expect(fs.readFileSync(path.join(outside, String(out.entry), 'd0', 'f0'), 'utf8')).toBe('precious')
  })

  test('as a non-root user, a name that is not UTF-8 beside a link spelled like its decoding, in a read-only directory: only the store\'s files go', () => {
    const { p1, a } = projectUsingAandB(box.tmp, box.store)
    const outside = path.join(box.tmp, 'outside')
    fs.mkdirSync(outside)
    fs.writeFileSync(path.join(outside, 'precious'), 'not the store\'s')
    const ro = path.join(a, 'ro')
    fs.mkdirSync(ro)
    const raw = Buffer.concat([Buffer.from(`${ro}/d`), Buffer.from([0xff])])
    fs.mkdirSync(raw)
    fs.writeFileSync(Buffer.concat([raw, Buffer.from('/precious')]), 'the store\'s')
    fs.symlinkSync(outside, path.join(ro, 'd\uFFFD'))
    execFileSync('chown', ['-R', '65534:65534', box.tmp])
    fs.chmodSync(box.tmp, 0o755)
    fs.chmodSync(ro, 0o555)
    sweepInChild(box.store, p1, 'console.log(JSON.stringify({ action: report.spaces[0].action }))', 65534)
    expect(fs.existsSync(a)).toBe(false)
    expect(trashEntries(box.store)).toEqual([])
    expect(fs.readdirSync(outside)).toEqual(['precious'])
  })
})
