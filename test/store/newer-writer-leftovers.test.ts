/**
 * A store whose state a newer version wrote is read-only for deletion for every path that
 * writes into it, not only the sweep of spaces: the full gc's trash and temp cleaning, the
 * background log compaction, the periodic upkeep and the install-time sweep's record
 * (docs/design.md, "Record versions" and "State versions").
 */
import fs from 'node:fs'
import path from 'node:path'
import { runGc } from '../../src/gc'
import { compactStore } from '../../src/gc/compact'
import { lastGcPath } from '../../src/gc/last-gc'
import { lastSweepPath, recordLastSweep } from '../../src/gc/last-sweep'
import { upkeepStore } from '../../src/gc/upkeep'
import { accessLogPath, bookkeepingDir, formatPath, trashDir } from '../../src/runtime/layout'
import { useSandbox } from '../runtime/support'
import { makeSpace, recordUse } from '../gc/support'

describe('a store a newer version wrote', () => {
  const box = useSandbox()
  const newerRegistry = (): void => fs.writeFileSync(path.join(bookkeepingDir(box.store), 'registry.json'), JSON.stringify({ version: 999, projects: {} }))

  test('the full gc leaves its trash and the temp directories of killed writers alone', async () => {
    makeSpace(box.store, 'pkg-a', 'cache')
    newerRegistry()
    const trashed = path.join(trashDir(box.store), 'left-by-a-newer-run')
    fs.mkdirSync(trashed, { recursive: true })
    // A temp directory of a writer that is gone (pid 1 on another host would be kept anyway: use a dead pid here).
    const temp = path.join(box.store, 'pkg-a', '.cache.tmp-0000000000000-999999-00000000-abcdef')
    fs.mkdirSync(temp)
    const old = (Date.now() - 3 * 86_400_000) / 1000
    fs.utimesSync(temp, old, old)
    const report = await runGc()
    expect(report.warnings.join('\n')).toMatch(/this run deletes nothing and rewrites no state/)
    expect(fs.existsSync(trashed)).toBe(true)
    expect(fs.existsSync(temp)).toBe(true)
  })

  test('the background compaction does not rewrite its log', () => {
    makeSpace(box.store, 'pkg-a', 'cache')
    for (let i = 0; i < 5; i++) recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, null)
    newerRegistry()
    const before = fs.readFileSync(accessLogPath(box.store), 'utf8')
    expect(compactStore(box.store)).toBe(false)
    expect(fs.readFileSync(accessLogPath(box.store), 'utf8')).toBe(before)
    expect(fs.readdirSync(bookkeepingDir(box.store)).filter((name) => name.startsWith('access')).sort()).toEqual(['access.log'])
  })

  test('of a newer format: the upkeep runs nothing and records nothing, and no sweep record is written', async () => {
    makeSpace(box.store, 'pkg-a', 'cache')
    fs.writeFileSync(formatPath(box.store), '999\n')
    const before = fs.readdirSync(bookkeepingDir(box.store)).sort()
    await upkeepStore(box.store)
    expect(recordLastSweep({ at: new Date().toISOString(), project: box.tmp, deleted: 0, freedBytes: 0, warnings: [] }, box.store)).toBe(false)
    expect(fs.existsSync(lastGcPath(box.store))).toBe(false)
    expect(fs.existsSync(lastSweepPath(box.store))).toBe(false)
    expect(fs.readdirSync(bookkeepingDir(box.store)).sort()).toEqual(before)
  })
})
