/**
 * The periodic upkeep, for real: processes that create spaces in a store whose last full gc is
 * 8 days old start one detached, low-priority gc with a 7-day grace period, which deletes a
 * space orphaned for 8 days and keeps one orphaned just now. Several processes starting at the
 * same moment start one gc between them. Ages come from the gc's `now` input and utimes; the
 * test polls for the background process's effect with a timeout.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { builtRuntime, repoRoot } from '../helpers/dist'
import { removeTempDirs, tempDir } from '../helpers/tmp'
import { npmProject, recordUse, makeSpace, DAY } from '../gc/support'
import { bookkeepingDir } from '../../src/runtime/layout'

jest.setTimeout(120_000)
afterEach(removeTempDirs)

interface GcBundle {
  runGc(opts: { root: string; now?: number; graceMs?: number }): Promise<{ spaces: { owner: string | null; action: string }[] }>
  readLastGc(root: string): { at: string; deleted: number; automatic: boolean } | null
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)))
}

test.each(['cjs', 'mjs'] as const)('a store not collected for 8 days collects itself, once, from several processes at once (%s entry)', async (entry) => {
  const { cjs, mjs } = builtRuntime()
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const gc = require(path.join(repoRoot, 'dist', 'gc.cjs')) as GcBundle
  const tmp = tempDir()
  const store = path.join(tmp, 'store')
  // pkg-old: used from a project that is gone; marked orphaned by a gc 8 days ago.
  const p1 = npmProject(path.join(tmp, 'p1'), ['pkg-old'])
  // Untracked once the gc forgets the gone project's records: its age is its mtime.
  makeSpace(store, 'pkg-old', 'cache', 4096, 20 * DAY)
  recordUse(store, { owner: 'pkg-old', key: 'cache' }, p1)
  fs.rmSync(p1, { recursive: true })
  const first = await gc.runGc({ root: store, now: Date.now() - 8 * DAY, graceMs: 7 * DAY })
  expect(first.spaces.map((s) => [s.owner, s.action])).toEqual([['pkg-old', 'keep']])
  // pkg-late: orphaned since a moment ago, within the grace period.
  const p2 = npmProject(path.join(tmp, 'p2'), ['pkg-late'])
  makeSpace(store, 'pkg-late', 'cache')
  recordUse(store, { owner: 'pkg-late', key: 'cache' }, p2)
  fs.rmSync(p2, { recursive: true })
  expect(Math.round((Date.now() - fs.statSync(path.join(bookkeepingDir(store), 'upkeep.stamp')).mtimeMs) / DAY)).toBe(8)

  // Every node process started below, and the detached ones they start, note themselves here.
  const trace = path.join(tmp, 'trace.log')
  const preload = path.join(tmp, 'trace.cjs')
  fs.writeFileSync(preload, `
    const fs = require('node:fs'), os = require('node:os')
    if (String(process._eval).includes('upkeepStore')) {
      process.on('exit', () => fs.appendFileSync(${JSON.stringify(trace)}, process.pid + ' ' + os.getPriority() + '\\n'))
    }`)
  const start = Date.now() + 1500
  // A real module file of each kind (in `node -e`, require is a global even inside ES modules).
  const consumer = path.join(tmp, `consumer.${entry}`)
  fs.writeFileSync(consumer, entry === 'cjs'
    ? `while (Date.now() < ${start}); require(${JSON.stringify(cjs)}).getScratch(process.argv[2], { name: 'pkg-new' })\n`
    : `import { getScratch } from ${JSON.stringify(mjs)}\nwhile (Date.now() < ${start}); getScratch(process.argv[2], { name: 'pkg-new' })\n`)
  const env = { PATH: process.env.PATH, SCRATCHSPACE_DIR: store, NODE_OPTIONS: `--require ${preload}` }
  const children = [0, 1, 2, 3].map((i) => spawn(process.execPath, [consumer, `k${i}`], { env, stdio: ['ignore', 'ignore', 'pipe'] }))
  let stderr = ''
  for (const child of children) child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const codes = await Promise.all(children.map(exited))
  expect({ codes, stderr }).toEqual({ codes: [0, 0, 0, 0], stderr: '' })

  await until('the upkeep gc to record itself', () => gc.readLastGc(store)?.automatic === true)
  // appendFileSync creates the file before it writes the line: wait for the whole line.
  await until('the upkeep process to exit', () => fs.existsSync(trace) && fs.readFileSync(trace, 'utf8').endsWith('\n'))
  expect(fs.existsSync(path.join(store, 'pkg-old', 'cache'))).toBe(false)
  expect(fs.existsSync(path.join(store, 'pkg-late', 'cache'))).toBe(true)
  for (let i = 0; i < 4; i++) expect(fs.existsSync(path.join(store, 'pkg-new', `k${i}`))).toBe(true)
  expect(gc.readLastGc(store)).toMatchObject({ deleted: 1, automatic: true })
  // One upkeep process, at the lowest priority.
  const lines = fs.readFileSync(trace, 'utf8').trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0].split(' ')[1]).toBe('19')
  // The next creation within 7 days starts nothing.
  const again = spawn(process.execPath, [consumer, 'k9'], { env, stdio: 'ignore' })
  expect(await exited(again)).toBe(0)
  expect(Date.now() - Date.parse(gc.readLastGc(store)?.at ?? '')).toBeLessThan(60_000)
  expect(fs.readFileSync(trace, 'utf8').trim().split('\n')).toHaveLength(1)
})
