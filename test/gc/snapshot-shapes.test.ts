/**
 * A folded snapshot carries the record shapes its writer understood: one written by a version
 * that understands other records never stands in for a log holding lines this version does not
 * understand, so such lines still hold the full gc and the install-time sweep
 * (docs/design.md, "The folded history", "Record versions").
 */
import fs from 'node:fs'
import path from 'node:path'
import { runGc, scopedSweep } from '../../src/gc'
import { checksum } from '../../src/runtime/checksum'
import { bookkeepingDir } from '../../src/runtime/layout'
import { sealedJson } from '../../src/store/atomic'
import { readHistory } from '../../src/store/history'
import { saveSnapshot, snapshotPath } from '../../src/store/history-snapshot'
import { useSandbox } from '../runtime/support'
import { makeSpace, npmProject, recordUse } from './support'

describe('the folded snapshot and records of a newer version', () => {
  const box = useSandbox()
  const file = (name: string): string => path.join(bookkeepingDir(box.store), name)

  /**
   * p1 uses pkg-a; pkg-b's space is orphaned. The compacted log also holds a line of a kind this
   * version does not know, and a snapshot of it sealed with `shapes` (undefined: left out).
   */
  function newerStore(shapes: string | undefined): { p1: string; orphan: string } {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    makeSpace(box.store, 'pkg-a', 'cache')
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1)
    const orphan = makeSpace(box.store, 'pkg-b', 'cache')
    recordUse(box.store, { owner: 'pkg-b', key: 'cache' }, p1)
    const known = fs.readFileSync(file('access.log'), 'utf8')
    const json = JSON.stringify({ t: 'quota', space: 'pkg-b/cache', bytes: 1, time: new Date().toISOString() })
    const bytes = Buffer.from(known + `${checksum(json)} ${json}\n`)
    fs.writeFileSync(file('access.compact.log'), bytes)
    fs.rmSync(file('access.log'))
    const read = readHistory(box.store, Date.now(), { records: false })
    expect(read.unknownLines.size).toBe(1)
    saveSnapshot(file('access.compact.log'), bytes, { spaces: [...read.spaces.values()], projects: read.projects })
    const snapshot = JSON.parse(fs.readFileSync(snapshotPath(file('access.compact.log')), 'utf8'))
    delete snapshot.checksum
    if (shapes === undefined) delete snapshot.shapes
    else snapshot.shapes = shapes
    fs.writeFileSync(snapshotPath(file('access.compact.log')), sealedJson(snapshot))
    return { p1, orphan }
  }
  const otherShapes = JSON.stringify({ v: 1, kinds: { quota: { t: 'string' } } })

  test('a snapshot of other shapes is not read: the full gc sees the newer line and deletes nothing', async () => {
    const { orphan } = newerStore(otherShapes)
    expect(readHistory(box.store, Date.now(), { records: false }).unknownLines.size).toBe(1)
    const report = await runGc({ root: box.store })
    expect(fs.existsSync(orphan)).toBe(true)
    expect(report.warnings.join('\n')).toContain('does not understand')
  })

  test('nor by the install-time sweep, which does not run', () => {
    const { p1, orphan } = newerStore(otherShapes)
    recordUse(box.store, { owner: 'pkg-b', key: 'cache' }, p1)
    const report = scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a'], root: box.store })
    expect(report.spaces).toEqual([])
    expect(fs.existsSync(orphan)).toBe(true)
  })

  test('a snapshot of this version\'s shapes, or of a version before they were written, stands in for the log', () => {
    newerStore(undefined)
    expect(readHistory(box.store, Date.now(), { records: false }).unknownLines.size).toBe(0)
  })
})
