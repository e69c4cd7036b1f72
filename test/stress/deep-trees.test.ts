/**
 * Trees of any depth: real 2,000-level directory chains whose deepest paths are far over 4 KiB
 * (PATH_MAX on Linux), built with short paths only. list, gc, clear, the scoped sweep and
 * deleteScratch size and remove them without recursion and without ENAMETOOLONG, for live and
 * doomed spaces alike, and a deep tree left in the trash by an earlier run is emptied by the next.
 */
import fs from 'node:fs'
import path from 'node:path'
import { runGc } from '../../src/gc'
import { deleteScratch } from '../../src/runtime/spaces'
import { DAY, age, npmProject } from '../gc/support'
import { deepChain } from '../helpers/deep-tree'
import { useSandbox } from '../runtime/support'
import { buildSnapshot, figure, removeSnapshot, scratchCli, waitFor, type Snapshot } from './support'
import { bookkeepingDir, trashDir } from '../../src/runtime/layout'

const box = useSandbox()
let snapshot: Snapshot | undefined
beforeAll(async () => { snapshot = await buildSnapshot() })
afterAll(() => removeSnapshot(snapshot))

const LEVELS = 2000

/** A space `<owner>/<key>` holding a LEVELS-deep chain with a 7-byte leaf; aged `ageMs`. */
function deepSpace(owner: string, key: string, ageMs: number, seg = 'dd'): { dir: string; deepest: number } {
  const ns = path.join(box.store, owner)
  // A store is marked by its bookkeeping directory, as the runtime's first write makes it.
  fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
  fs.mkdirSync(ns, { recursive: true })
  const { top, deepest } = deepChain(ns, key, LEVELS, seg)
  if (ageMs > 0) age(top, ageMs)
  return { dir: top, deepest }
}

function trashEntries(): string[] {
  try {
    return fs.readdirSync(trashDir(box.store))
  } catch {
    return []
  }
}

test('list and gc size a live 2,000-level space and delete a doomed one, exit 0, and leave no trash', async () => {
  const live = deepSpace('live-pkg', 'deep', 0)
  const doomed = deepSpace('gone-pkg', 'deep', 9 * DAY)
  expect(live.deepest).toBeGreaterThan(4096 + 1000)
  const list = await scratchCli(snapshot!, box.store, ['list', '--json'])
  expect(list.stderr).not.toMatch(/ENAMETOOLONG|RangeError|\n\s+at /)
  expect(list.code).toBe(0)
  const listed = JSON.parse(list.stdout) as { spaces: { owner: string; bytes: number; action: string }[] }
  expect(listed.spaces.map((s) => [s.owner, s.bytes, s.action])).toEqual([['gone-pkg', 7, 'delete'], ['live-pkg', 7, 'keep']])
  const gc = await scratchCli(snapshot!, box.store, ['gc', '--json'])
  expect(gc.stderr).not.toMatch(/ENAMETOOLONG|RangeError|\n\s+at /)
  expect(gc.code).toBe(0)
  const report = JSON.parse(gc.stdout) as { freedBytes: number; spaces: { owner: string; action: string }[] }
  expect(report.spaces.map((s) => [s.owner, s.action])).toEqual([['gone-pkg', 'deleted'], ['live-pkg', 'keep']])
  expect(report.freedBytes).toBe(7)
  expect(fs.existsSync(doomed.dir)).toBe(false)
  expect(fs.existsSync(live.dir)).toBe(true)
  expect(trashEntries()).toEqual([])
  figure(`deep trees: a ${LEVELS}-level space (deepest path ${live.deepest} bytes): list ${list.ms} ms, gc deleting a second one ${gc.ms} ms, exit 0, trash empty`)
})

test('names of 255 bytes: a path of ~500 KiB is sized and removed', async () => {
  const live = deepSpace('wide-pkg', 'deep', 9 * DAY, 'n'.repeat(255))
  expect(live.deepest).toBeGreaterThan(500_000)
  const report = await runGc()
  expect(report.spaces.map((s) => [s.owner, s.bytes, s.action])).toEqual([['wide-pkg', 7, 'deleted']])
  expect(fs.existsSync(live.dir)).toBe(false)
  expect(trashEntries()).toEqual([])
  figure(`deep trees: ${LEVELS} levels of 255-byte names (deepest path ${live.deepest} bytes): sized and deleted by one gc`)
})

test('a deep tree left in the trash by an earlier run is emptied by the next gc', async () => {
  const trash = trashDir(box.store)
  fs.mkdirSync(trash, { recursive: true })
  deepChain(trash, 'left-by-a-crash', LEVELS)
  const gc = await scratchCli(snapshot!, box.store, ['gc'])
  expect(gc.code).toBe(0)
  expect(gc.stderr).toBe('')
  expect(trashEntries()).toEqual([])
})

test('the scoped sweep (scratch gc --project) deletes a doomed deep space and exits 0; nothing stays behind', async () => {
  const p1 = npmProject(path.join(box.tmp, 'p1'), ['kept-pkg'])
  const doomed = deepSpace('gone-pkg', 'deep', 9 * DAY)
  // p1 used gone-pkg's space before: the sweep is asked about it.
  const { appendRecord } = await import('../../src/runtime/access-log')
  appendRecord(box.store, { t: 'access', space: 'gone-pkg/deep', owner: 'gone-pkg', caller: 'gone-pkg', project: p1, time: new Date(Date.now() - 9 * DAY).toISOString(), pid: 1 })
  const sweep = await scratchCli(snapshot!, box.store, ['gc', '--project', p1, '--json'])
  expect(sweep.stderr).not.toMatch(/ENAMETOOLONG|RangeError|\n\s+at /)
  expect(sweep.code).toBe(0)
  expect(JSON.parse(sweep.stdout).spaces.map((s: { owner: string; action: string }) => [s.owner, s.action])).toEqual([['gone-pkg', 'deleted']])
  expect(fs.existsSync(doomed.dir)).toBe(false)
  // Whatever the time bound left in the trash goes with the detached emptier (still at work
  // when the sweep returns, so waited for here) or the next run.
  expect(await waitFor(() => trashEntries().length === 0, 30_000)).toBe(true)
  expect((await scratchCli(snapshot!, box.store, ['gc'])).code).toBe(0)
  expect(trashEntries()).toEqual([])
})

test('clear --all and deleteScratch remove deep spaces', async () => {
  const a = deepSpace('pkg-a', 'deep', 0)
  const b = deepSpace('pkg-b', 'deep', 0)
  expect(deleteScratch('deep', { name: 'pkg-a' })).toBe(true)
  expect(fs.existsSync(a.dir)).toBe(false)
  const clear = await scratchCli(snapshot!, box.store, ['clear', '--all', '--force', '--json'])
  expect(clear.code).toBe(0)
  expect(JSON.parse(clear.stdout)).toMatchObject({ freedBytes: 7, spaces: [{ owner: 'pkg-b', action: 'deleted', bytes: 7 }] })
  expect(fs.existsSync(b.dir)).toBe(false)
  expect(trashEntries()).toEqual([])
})
