/**
 * The size budget through the install-time sweep, with the built package: `scratch gc --project`
 * (what npm runs) sizes nothing it keeps, so with SCRATCHSPACE_MAX_SIZE set it starts one
 * detached, low-priority full gc, which really deletes the least recently used space; a second
 * sweep within the hour starts none. And the CLI's own checks of `--max-size`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { runGc } from '../../src/gc'
import { DAY, makeSpace, npmProject, recordUse } from '../gc/support'
import { useSandbox } from '../runtime/support'
import { buildSnapshot, figure, removeSnapshot, scratchCli, waitFor, type Snapshot } from './support'
import { bookkeepingDir } from '../../src/runtime/layout'

const box = useSandbox()
let snapshot: Snapshot | undefined
beforeAll(async () => { snapshot = await buildSnapshot() })
afterAll(() => removeSnapshot(snapshot))
jest.setTimeout(120_000)

function liveSpaces(): Record<string, string> {
  const dirs: Record<string, string> = {}
  for (const [key, days] of [['old', 20], ['mid', 10], ['new', 1]] as const) {
    dirs[key] = makeSpace(box.store, 'pkg-x', key, 50_000)
    recordUse(box.store, { owner: 'pkg-x', key }, null, Date.now() - days * DAY)
  }
  return dirs
}

test('gc --project with SCRATCHSPACE_MAX_SIZE: returns at once, and a detached gc deletes the least recently used space; once per hour', async () => {
  const dirs = liveSpaces()
  const project = npmProject(path.join(box.tmp, 'p1'), ['pkg-y'])
  const dry = await runGc({ dryRun: true, maxSizeBytes: null })
  const total = dry.spaces.reduce((sum, s) => sum + s.bytes, 0)
  const old = dry.spaces.find((s) => s.key === 'old')!.bytes
  const env = { SCRATCHSPACE_MAX_SIZE: String(total - old) }
  const first = await scratchCli(snapshot!, box.store, ['gc', '--project', project, '--json'], { env })
  expect(first.code).toBe(0)
  expect(first.stderr).toBe('')
  expect(JSON.parse(first.stdout).spaces).toEqual([])
  const stamp = path.join(bookkeepingDir(box.store), 'budget.requested')
  expect(fs.existsSync(stamp)).toBe(true)
  const waitStart = Date.now()
  expect(await waitFor(() => !fs.existsSync(dirs.old), 60_000)).toBe(true)
  const detachedMs = Date.now() - waitStart
  expect(fs.existsSync(dirs.mid) && fs.existsSync(dirs.new)).toBe(true)
  // Within the hour the stamp stands: a second sweep, even with a budget nothing fits, does not
  // take it again, and a run is started only by the process that takes it.
  const stampedAt = fs.statSync(stamp).mtimeMs
  const second = await scratchCli(snapshot!, box.store, ['gc', '--project', project], { env: { SCRATCHSPACE_MAX_SIZE: '1' } })
  expect(second.code).toBe(0)
  expect(fs.statSync(stamp).mtimeMs).toBe(stampedAt)
  figure(`budget: gc --project exited in ${first.ms} ms; the detached budget gc deleted the least recently used space ${detachedMs} ms later`)
})

test('scratch gc --max-size: a bad size is a usage error (exit 2) naming it, nothing touched; --dry-run lists which, --json says because', async () => {
  const dirs = liveSpaces()
  const bad = await scratchCli(snapshot!, box.store, ['gc', '--max-size', '12 parsecs'])
  expect(bad.code).toBe(2)
  expect(bad.stderr).toContain('"12 parsecs" for --max-size')
  const badEnv = await scratchCli(snapshot!, box.store, ['gc', '--dry-run'], { env: { SCRATCHSPACE_MAX_SIZE: 'huge' } })
  expect(badEnv.code).toBe(2)
  expect(badEnv.stderr).toContain('"huge" for SCRATCHSPACE_MAX_SIZE')
  expect(Object.values(dirs).every((dir) => fs.existsSync(dir))).toBe(true)

  const json = await scratchCli(snapshot!, box.store, ['gc', '--dry-run', '--max-size', '60000', '--json'])
  expect(json.code).toBe(0)
  const report = JSON.parse(json.stdout)
  expect(report.spaces.map((s: { key: string; action: string }) => [s.key, s.action])).toEqual([['mid', 'delete'], ['new', 'keep'], ['old', 'delete']])
  expect(report.spaces[2].because).toMatchObject({ code: 'over-budget', budgetBytes: 60000, then: { code: 'unattributed-recent' } })
  const text = await scratchCli(snapshot!, box.store, ['gc', '--dry-run', '--max-size', '60000'], { env: { NO_COLOR: '1', COLUMNS: '200' } })
  expect(text.stdout).toMatch(/over the size budget of 58\.6 KiB \(store: 146 KiB\)/)
  figure(`budget: scratch gc --dry-run --max-size 60000 →\n${text.stdout}`)
  expect(Object.values(dirs).every((dir) => fs.existsSync(dir))).toBe(true)
})
