/** The last automatic sweep is kept in the store, so `scratch status` can show what npm hid. */
import fs from 'node:fs'
import path from 'node:path'
import { lastSweepPath, readLastSweep, recordLastSweep, sweepRecord } from '../../src/gc/last-sweep'
import { acquireLock } from '../../src/store/lock'
import { scratch } from '../cli/support'
import { useSandbox } from '../runtime/support'
import { makeSpace, npmProject, recordUse } from './support'

describe('the last sweep', () => {
  const box = useSandbox()

  test('gc --project records when, which project, what it deleted and freed', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a', 'pkg-b'])
    makeSpace(box.store, 'pkg-a', 'cache', 2048)
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1)
    expect((await scratch(box.store, ['register', p1])).code).toBe(0)
    // Then pkg-a is uninstalled: the lockfile lists pkg-b only.
    npmProject(p1, ['pkg-b'])
    const before = Date.now()
    const result = await scratch(box.store, ['gc', '--project', p1])
    expect(result.code).toBe(0)
    const record = readLastSweep(box.store)
    expect(fs.existsSync(path.join(box.store, 'pkg-a', 'cache'))).toBe(false)
    expect(record).toEqual({ at: expect.any(String), project: p1, deleted: 1, freedBytes: 2048, warnings: [] })
    expect(Date.parse(record?.at ?? '')).toBeGreaterThanOrEqual(before - 1000)
  })

  test('a locked store: the warning npm would hide is recorded', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-b'])
    makeSpace(box.store, 'pkg-b', 'cache')
    const held = await acquireLock(box.store, { command: 'test holder' })
    try {
      const result = await scratch(box.store, ['gc', '--project', p1])
      expect(result.code).toBe(0)
    } finally {
      held.release()
    }
    const record = readLastSweep(box.store)
    expect(record?.project).toBe(p1)
    expect(record?.warnings.join('\n')).toMatch(/lock|another gc/i)
  })

  test('a dry run records nothing; the file is written atomically and read back; damage reads as none', () => {
    fs.mkdirSync(box.store, { recursive: true })
    const record = sweepRecord('/p', { dryRun: false, freedBytes: 10, projects: [], warnings: ['w1'], spaces: [
      { owner: 'a', key: 'k', path: '/s/a/k', bytes: 10, tracked: true, lastAccess: null, projects: [], callers: [], verdict: 'orphaned', action: 'deleted', reason: 'r' },
      { owner: 'b', key: 'k', path: '/s/b/k', bytes: 5, tracked: true, lastAccess: null, projects: [], callers: [], verdict: 'orphaned', action: 'failed', reason: 'EBUSY' },
    ] }, [], Date.UTC(2026, 0, 2))
    expect(record).toEqual({ at: '2026-01-02T00:00:00.000Z', project: '/p', deleted: 1, freedBytes: 10, warnings: ['w1', 'could not delete /s/b/k: EBUSY'] })
    // An unmarked directory (no bookkeeping directory) is not a store: nothing is written there.
    expect(recordLastSweep(record, box.store)).toBe(false)
    expect(fs.readdirSync(box.store)).toEqual([])
    fs.mkdirSync(path.dirname(lastSweepPath(box.store)))
    expect(recordLastSweep(record, box.store)).toBe(true)
    expect(readLastSweep(box.store)).toEqual(record)
    expect(fs.readdirSync(path.dirname(lastSweepPath(box.store))).filter((f) => f.endsWith('.tmp'))).toEqual([])
    fs.writeFileSync(lastSweepPath(box.store), fs.readFileSync(lastSweepPath(box.store), 'utf8').replace('"deleted":1', '"deleted":7'))
    expect(readLastSweep(box.store)).toBeNull()
    // No store: nothing is created.
    expect(recordLastSweep(record, path.join(box.tmp, 'none'))).toBe(false)
    expect(fs.existsSync(path.join(box.tmp, 'none'))).toBe(false)
  })
})
