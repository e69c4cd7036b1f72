import fs from 'node:fs'
import path from 'node:path'
import { encodeRecord, projectRecord, type AccessRecord } from '../../src/runtime/access-log'
import { accessLogPath, bookkeepingDir } from '../../src/runtime/layout'
import { compactHistory, readHistory, type History } from '../../src/store/history'
import { compactLog } from '../../src/gc/compact'
import { removeTempDirs, tempDir } from '../helpers/tmp'

// A run that changes nothing reads the history without its records (docs/design.md, "The warm
// gc"): every fact a verdict or a report uses must be the same as with them.
function usageOf(history: History): unknown {
  return {
    spaces: [...history.spaces.values()].map((u) => ({ ...u, callers: [...u.callers], projects: [...u.projects], latest: undefined })),
    projects: [...history.projects], damaged: [...history.damagedLines], readTo: [...history.readTo], unknown: [...history.unknownLines],
  }
}

describe('a history read without its records', () => {
  let store = ''
  beforeEach(() => {
    store = path.join(tempDir(), 'store')
    fs.mkdirSync(bookkeepingDir(store), { recursive: true })
  })
  afterEach(removeTempDirs)

  test('folds the same usage, from repeated, clamped, damaged and unattributed records', () => {
    const now = Date.UTC(2026, 5, 1)
    const lines: string[] = []
    for (let i = 0; i < 3000; i++) {
      const record: AccessRecord = {
        t: 'access', space: `pkg-${i % 41}/k${i % 3}`, owner: `pkg-${i % 41}`, caller: i % 11 === 0 ? null : `pkg-${i % 17}`,
        project: i % 9 === 0 ? null : `/work/p${i % 23}`, time: new Date(now - 86_400_000 + (i % 500) * 997_000).toISOString(), pid: i,
      }
      lines.push(encodeRecord(record))
      if (i % 100 === 0) lines.push(encodeRecord(projectRecord(`/work/p${i % 29}`, now - i * 1000)), 'garbage\n')
    }
    fs.writeFileSync(path.join(bookkeepingDir(store), 'access.compact.log'), lines.slice(0, 1000).join(''))
    fs.writeFileSync(accessLogPath(store), lines.slice(1000).join(''))
    const full = readHistory(store, now)
    const lean = readHistory(store, now, { records: false })
    expect(full.spaces.size).toBe(123)
    expect(usageOf(lean)).toEqual(usageOf(full))
    expect(lean.registrations.size).toBe(0)
    expect([...lean.spaces.values()].every((u) => u.latest.size === 0)).toBe(true)
  })

  test('is never compacted from: the compacted log stays as it was', () => {
    const line = encodeRecord({ t: 'access', space: 'pkg-a/k', owner: 'pkg-a', caller: 'pkg-a', project: null, time: new Date().toISOString(), pid: 1 })
    const compact = path.join(bookkeepingDir(store), 'access.compact.log')
    fs.writeFileSync(compact, line)
    expect(compactHistory(store, readHistory(store, Date.now(), { records: false }), () => true, [])).toBe(false)
    expect(fs.readFileSync(compact, 'utf8')).toBe(line)
    expect(compactHistory(store, readHistory(store), () => true, [])).toBe(true)
  })

  test('the log compaction does nothing with it: the live log is neither rotated nor retired', () => {
    const line = encodeRecord({ t: 'access', space: 'pkg-a/k', owner: 'pkg-a', caller: 'pkg-a', project: null, time: new Date().toISOString(), pid: 1 })
    fs.writeFileSync(accessLogPath(store), line)
    compactLog(store, readHistory(store, Date.now(), { records: false }), Date.now())
    expect(fs.readFileSync(accessLogPath(store), 'utf8')).toBe(line)
    expect(readHistory(store).spaces.has('pkg-a/k')).toBe(true)
  })
})
