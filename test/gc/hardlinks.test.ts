/**
 * freedBytes counts what a deletion frees: a file hard-linked from outside the space is not freed
 * (its data stays reachable through the other link), and a file with all its links inside the
 * space is freed once. Real hard links on the test's file system.
 */
import fs from 'node:fs'
import path from 'node:path'
import { clearSpaces, runGc } from '../../src/gc'
import { clearScratchspaces } from '../../src/runtime/spaces'
import { useSandbox } from '../runtime/support'
import { DAY, age, makeSpace } from './support'

const box = useSandbox()

/** An orphaned space: data.bin (100 bytes), a 1,000-byte file also linked from outside, a 500-byte file linked twice inside. */
function spaceWithLinks(owner: string): { dir: string; outside: string } {
  const dir = makeSpace(box.store, owner, 'cache', 100)
  const outside = path.join(box.tmp, `${owner}-outside.bin`)
  fs.writeFileSync(outside, Buffer.alloc(1000, 2))
  fs.linkSync(outside, path.join(dir, 'shared.bin'))
  fs.writeFileSync(path.join(dir, 'twice.bin'), Buffer.alloc(500, 3))
  fs.mkdirSync(path.join(dir, 'sub'))
  fs.linkSync(path.join(dir, 'twice.bin'), path.join(dir, 'sub', 'twice-again.bin'))
  age(dir, 9 * DAY)
  return { dir, outside }
}

test('gc: a file linked from outside is not freed; one linked twice inside is freed once', async () => {
  const { dir, outside } = spaceWithLinks('gone')
  const dry = await runGc({ dryRun: true })
  expect(dry.freedBytes).toBe(600)
  const report = await runGc()
  expect(report.spaces).toMatchObject([{ owner: 'gone', action: 'deleted', bytes: 1600 }])
  expect(report.freedBytes).toBe(600)
  expect(fs.existsSync(dir)).toBe(false)
  expect(fs.readFileSync(outside)).toEqual(Buffer.alloc(1000, 2))
})

test('clear and clearScratchspaces count the same way', async () => {
  spaceWithLinks('gone-a')
  spaceWithLinks('gone-b')
  expect((await clearSpaces({ owners: ['gone-a'] })).freedBytes).toBe(600)
  expect(clearScratchspaces({ name: 'gone-b' }).bytes).toBe(600)
})
