/** Compaction forgets the records of projects that are gone, so the log does not grow with every checkout a machine ever had. */
import fs from 'node:fs'
import path from 'node:path'
import { runGc } from '../../src/gc'
import { appendRecord } from '../../src/runtime/access-log'
import { useSandbox } from '../runtime/support'
import { DAY, makeSpace, npmProject, recordUse } from './support'
import { bookkeepingDir } from '../../src/runtime/layout'

describe('compaction and gone projects', () => {
  const box = useSandbox()

  test('records of a gone project are dropped; a present project\'s stay; the space verdicts do not change', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    const gone = path.join(box.tmp, 'checkout-17')
    fs.mkdirSync(gone)
    makeSpace(box.store, 'pkg-a', 'cache')
    makeSpace(box.store, 'pkg-b', 'cache')
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1, Date.now() - DAY)
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, gone, Date.now() - DAY)
    recordUse(box.store, { owner: 'pkg-b', key: 'cache' }, p1, Date.now() - DAY)
    appendRecord(box.store, { t: 'project', project: gone, time: new Date(Date.now() - DAY).toISOString(), pid: process.pid })
    fs.rmSync(gone, { recursive: true })
    const report = await runGc({ root: box.store })
    expect(report.projects).toContainEqual(expect.objectContaining({ dir: gone, status: 'gone' }))
    expect(report.spaces.map((s) => [s.owner, s.action])).toEqual([['pkg-a', 'keep'], ['pkg-b', 'deleted']])
    const compact = fs.readFileSync(path.join(bookkeepingDir(box.store), 'access.compact.log'), 'utf8')
    expect(compact).toContain(JSON.stringify(p1).slice(1, -1))
    expect(compact).not.toContain('checkout-17')
    // The next run reads the compacted log: the space is still tracked and kept.
    const again = await runGc({ root: box.store })
    expect(again.spaces.map((s) => [s.owner, s.action, s.tracked])).toEqual([['pkg-a', 'keep', true]])
  })
})
