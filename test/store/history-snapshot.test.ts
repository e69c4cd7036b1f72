import fs from 'node:fs'
import path from 'node:path'
import { encodeRecord, projectRecord, type AccessRecord } from '../../src/runtime/access-log'
import { accessLogPath, bookkeepingDir } from '../../src/runtime/layout'
import { compactHistory, readHistory, type History } from '../../src/store/history'
import type { FoldedLog } from '../../src/store/folded-format'
import { loadSnapshot, saveSnapshot, snapshotPath } from '../../src/store/history-snapshot'
import { removeTempDirs, tempDir } from '../helpers/tmp'

// The folded compacted log (docs/design.md, "The folded history"): a run that reads the history
// without records may take the compacted log's fold from its snapshot, and must then see exactly
// what reading the log gives — and read the log whenever the snapshot cannot vouch for it.
function usageOf(history: History): unknown {
  return {
    spaces: [...history.spaces.values()].map((u) => ({ ...u, callers: [...u.callers], projects: [...u.projects], latest: undefined })),
    projects: [...history.projects], damaged: [...history.damagedLines], readTo: [...history.readTo], unknown: [...history.unknownLines],
  }
}

const NOW = Date.UTC(2026, 5, 1)

function access(i: number, time = NOW - 86_400_000 + (i % 500) * 97_000): AccessRecord {
  const owner = i % 37 === 0 ? null : i % 5 === 0 ? `@scope/pkg-${i % 41}` : `pkg-${i % 41}`
  return {
    t: 'access', space: `${owner ?? '_global'}/k${i % 3}`, owner, caller: i % 11 === 0 ? null : `pkg-${i % 17}`,
    project: i % 9 === 0 ? null : `/work/p${i % 23}`, time: new Date(time).toISOString(), pid: i,
  }
}

describe('the folded history snapshot', () => {
  let store = ''
  let compact = ''
  beforeEach(() => {
    store = path.join(tempDir(), 'store')
    fs.mkdirSync(bookkeepingDir(store), { recursive: true })
    compact = path.join(bookkeepingDir(store), 'access.compact.log')
  })
  afterEach(removeTempDirs)

  /** A store compacted once (so it has a snapshot), then used again: `later` records in the live log. */
  function compactedStore(later: number): void {
    const lines: string[] = []
    for (let i = 0; i < 3000; i++) {
      lines.push(encodeRecord(access(i)))
      if (i % 100 === 0) lines.push(encodeRecord(projectRecord(`/work/p${i % 29}`, NOW - i * 1000)))
    }
    fs.writeFileSync(accessLogPath(store), lines.join(''))
    const gone = (record: { project: string | null }): boolean => record.project === '/work/p3'
    expect(compactHistory(store, readHistory(store, NOW), (usage) => usage.id !== 'pkg-2/k2', [], gone)).toBe(true)
    fs.rmSync(accessLogPath(store))
    fs.writeFileSync(accessLogPath(store), Array.from({ length: later }, (_, i) => encodeRecord(access(i * 7 + 1, NOW - 1000 + i))).join(''))
  }

  test('compaction writes it, and a history read without records from it equals one read from the log', () => {
    compactedStore(50)
    const folded = loadSnapshot(compact, NOW, new Map())
    expect(folded?.projects.has('/work/p3')).toBe(false)
    expect(folded?.spaces.some((space) => space.id === 'pkg-2/k2')).toBe(false)
    const fromSnapshot = readHistory(store, NOW, { records: false })
    const withRecords = readHistory(store, NOW)
    fs.rmSync(snapshotPath(compact))
    const fromLog = readHistory(store, NOW, { records: false })
    expect(fromLog.spaces.size).toBeGreaterThan(100)
    expect(usageOf(fromSnapshot)).toEqual(usageOf(fromLog))
    expect(usageOf(fromSnapshot)).toEqual(usageOf(withRecords))
  })

  test('it is what the reader uses while it matches the compacted log', () => {
    compactedStore(0)
    const space = { id: 'pkg-x/k', owner: 'pkg-x', callers: new Map([['pkg-x', NOW - 5]]), projects: new Map([['/work/x', NOW - 5]]), unattributedLast: null, lastAccess: NOW - 5 }
    saveSnapshot(compact, fs.readFileSync(compact), { spaces: [space], projects: new Map([['/work/x', NOW - 5]]) })
    const history = readHistory(store, NOW, { records: false })
    expect([...history.spaces.keys()]).toEqual(['pkg-x/k'])
    expect(history.readTo.get(compact)).toBe(fs.statSync(compact).size)
    // With records (a run that compacts), the log itself is read.
    expect(readHistory(store, NOW).spaces.has('pkg-x/k')).toBe(false)
  })

  describe('the log is read instead when the snapshot cannot vouch for it', () => {
    let forged: Omit<FoldedLog, 'end'>
    beforeEach(() => {
      compactedStore(0)
      forged = { spaces: [{ id: 'pkg-x/k', owner: 'pkg-x', callers: new Map(), projects: new Map(), unattributedLast: NOW - 5, lastAccess: NOW - 5 }], projects: new Map() }
    })
    const readsTheLog = (clampMs = NOW): void => {
      const history = readHistory(store, clampMs, { records: false })
      expect(history.spaces.has('pkg-x/k')).toBe(false)
      expect(history.spaces.size).toBeGreaterThan(100)
    }

    test('the compacted log was replaced, even by one of the same size', () => {
      saveSnapshot(compact, fs.readFileSync(compact), forged)
      const text = fs.readFileSync(compact)
      fs.rmSync(compact)
      fs.writeFileSync(compact, text)
      readsTheLog()
    })

    test('the compacted log was edited in place and its mtime put back', () => {
      saveSnapshot(compact, fs.readFileSync(compact), forged)
      const { atime, mtime } = fs.statSync(compact)
      const fd = fs.openSync(compact, 'r+')
      fs.writeSync(fd, fs.readFileSync(compact).subarray(0, 1), 0, 1, 0)
      fs.closeSync(fd)
      fs.utimesSync(compact, atime, mtime)
      readsTheLog()
    })

    test('the compacted log has the same inode, size and times but other bytes (a rewrite in the same second, or by another run)', () => {
      const other = fs.readFileSync(compact)
      other[other.length - 2] ^= 1
      saveSnapshot(compact, other, forged)
      readsTheLog()
    })

    test.each<[string, (space: FoldedLog['spaces'][number]) => FoldedLog['spaces']]>([
      ['a space twice', (space) => [space, { ...space, lastAccess: NOW - 6, unattributedLast: NOW - 6 }]],
      ['a last access later than every use', (space) => [{ ...space, lastAccess: NOW - 1 }]],
      ['a caller used after the last access', (space) => [{ ...space, callers: new Map([['pkg-x', NOW - 1]]) }]],
      ['a space with no use at all', (space) => [{ ...space, unattributedLast: null }]],
    ])('it holds %s, which no records fold to', (_what, spaces) => {
      saveSnapshot(compact, fs.readFileSync(compact), { ...forged, spaces: spaces(forged.spaces[0]) })
      expect(loadSnapshot(compact, NOW, new Map())).toBeNull()
      readsTheLog()
    })

    test('it is larger than the log could make it', () => {
      saveSnapshot(compact, fs.readFileSync(compact), forged)
      const file = snapshotPath(compact)
      const body = JSON.parse(fs.readFileSync(file, 'utf8')) as { names: string[]; checksum?: string }
      delete body.checksum
      body.names = Array.from({ length: fs.statSync(compact).size / 2 }, () => 'pkg-y')
      fs.writeFileSync(file, resealed(JSON.stringify(body)))
      readsTheLog()
    })

    test('it holds a time past the clamp (the reader would count it as the clamp)', () => {
      saveSnapshot(compact, fs.readFileSync(compact), forged)
      readsTheLog(NOW - 10)
    })

    test.each([
      ['a broken seal', (text: string) => text.replace('pkg-x/k', 'pkg-y/k')],
      ['another version', (text: string) => text.replace('"version":1', '"version":2')],
      ['a space id no record holds', (text: string) => text.replace('pkg-x/k', '../../etc/k')],
      ['a relative project directory', (text: string) => text.replace('"dirs":[', '"dirs":["work/x",')],
      ['an index past its table', (text: string) => text.replace('"callers":[0]', `"callers":[1,5,${NOW - 5}]`)],
      ['a count past its column', (text: string) => text.replace('"callers":[0]', '"callers":[3]')],
      ['a time before 2000', (text: string) => text.replace(`"last":[${NOW - 5}]`, '"last":[5]')],
      ['not JSON', () => '{"version":1,'],
    ])('it has %s', (_what, edit) => {
      saveSnapshot(compact, fs.readFileSync(compact), forged)
      const file = snapshotPath(compact)
      const sealed = fs.readFileSync(file, 'utf8')
      const body = JSON.parse(sealed) as Record<string, unknown>
      delete body.checksum
      const edited = edit(JSON.stringify(body))
      // Resealed (except for the broken seal), so only the content is wrong.
      fs.writeFileSync(file, _what === 'a broken seal' ? edit(sealed) : edited === '{"version":1,' ? edited : resealed(edited))
      expect(loadSnapshot(compact, NOW, new Map())).toBeNull()
      readsTheLog()
    })

    test('a FIFO is planted in its place', () => {
      fs.rmSync(snapshotPath(compact), { force: true })
      require('node:child_process').execFileSync('mkfifo', [snapshotPath(compact)])
      readsTheLog()
    })
  })

  test('a directory planted in its place neither stops a compaction nor reads as a snapshot', () => {
    fs.mkdirSync(snapshotPath(compact), { recursive: true })
    compactedStore(0)
    expect(fs.statSync(snapshotPath(compact)).isDirectory()).toBe(true)
    expect(readHistory(store, NOW, { records: false }).spaces.size).toBeGreaterThan(100)
  })

  test('a compaction drops the snapshot of the log it replaces and writes its own', () => {
    compactedStore(10)
    const before = fs.readFileSync(snapshotPath(compact), 'utf8')
    expect(compactHistory(store, readHistory(store, NOW), () => true, [])).toBe(true)
    expect(fs.readFileSync(snapshotPath(compact), 'utf8')).not.toBe(before)
    expect(loadSnapshot(compact, NOW, new Map())).not.toBeNull()
  })
})

function resealed(body: string): string {
  // The seal's format (sealedJson): a last member "checksum" with FNV-1a of the text without it.
  const { checksum } = require('../../src/runtime/checksum') as typeof import('../../src/runtime/checksum')
  return `${body.slice(0, -1)},"checksum":"${checksum(body)}"}`
}
