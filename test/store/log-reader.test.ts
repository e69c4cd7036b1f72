import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { encodeRecord, type AccessRecord, type LogRecord } from '../../src/runtime/access-log'
import { checksum } from '../../src/runtime/checksum'
import { readHistory, retireSegment } from '../../src/store/history'
import { forEachRecord } from '../../src/store/log-reader'
import { removeTempDirs, tempDir } from '../helpers/tmp'
import { accessLogPath, bookkeepingDir } from '../../src/runtime/layout'

const record = (i: number, project = '/work/p'): AccessRecord => ({
  t: 'access', space: `pkg-${i % 7}/k`, owner: `pkg-${i % 7}`, caller: `pkg-${i % 7}`, project: project + 'x'.repeat(i % 50),
  time: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), pid: i,
})

function collect(file: string, from = 0): { records: LogRecord[]; damaged: number; end: number; unknown: number; firstUnknown?: string } {
  const records: LogRecord[] = []
  const result = forEachRecord(file, (r) => records.push(r), from)
  return { records, ...result }
}

describe('the streaming access-log reader', () => {
  let dir = ''
  beforeEach(() => { dir = tempDir() })
  afterEach(removeTempDirs)

  test('reads every record across 1 MiB chunk boundaries, with multi-byte names, as the whole-file decode would', () => {
    const lines = Array.from({ length: 16_000 }, (_, i) => encodeRecord(record(i, i % 3 === 0 ? '/work/prøjekt-日本' : '/work/p')))
    const file = path.join(dir, 'access.log')
    fs.writeFileSync(file, lines.join(''))
    expect(fs.statSync(file).size).toBeGreaterThan(2.5 * 1024 * 1024)
    const { records, damaged, end } = collect(file)
    expect(damaged).toBe(0)
    expect(records).toEqual(lines.map((_, i) => record(i, i % 3 === 0 ? '/work/prøjekt-日本' : '/work/p')))
    expect(end).toBe(fs.statSync(file).size)
  })

  test('a line longer than 64 KiB is one damaged line and is never held; the records around it survive', () => {
    const file = path.join(dir, 'access.log')
    fs.writeFileSync(file, encodeRecord(record(1)) + 'x'.repeat(3 * 1024 * 1024) + '\n' + encodeRecord(record(2)) + '\n\n' + 'garbage\n')
    const { records, damaged } = collect(file)
    expect(records).toEqual([record(1), record(2)])
    expect(damaged).toBe(2)
  })

  test('an unterminated last line is read, but `end` stays before it, so a later read from `end` sees it whole', () => {
    const file = path.join(dir, 'access.log')
    const first = encodeRecord(record(1))
    fs.writeFileSync(file, first + encodeRecord(record(2)).slice(0, 30))
    expect(collect(file)).toMatchObject({ records: [record(1)], damaged: 1, end: Buffer.byteLength(first) })
    fs.appendFileSync(file, encodeRecord(record(2)).slice(30))
    expect(collect(file, Buffer.byteLength(first))).toMatchObject({ records: [record(2)], damaged: 0 })
  })

  test('a FIFO in place of a log is not read (no hang) and counts as damaged', () => {
    const fifo = path.join(dir, 'access.log')
    execFileSync('mkfifo', [fifo])
    expect(collect(fifo)).toMatchObject({ records: [], damaged: 1 })
  })

  test('retiring a rotated segment carries what was appended after the run read it over to the live log', () => {
    const store = path.join(dir, 'store')
    fs.mkdirSync(bookkeepingDir(store), { recursive: true })
    const segment = path.join(bookkeepingDir(store), 'access.seg-1-1.log')
    fs.writeFileSync(segment, encodeRecord(record(1)))
    const history = readHistory(store)
    // A writer that opened the log before the rotation appends after the run read it.
    fs.appendFileSync(segment, encodeRecord(record(2)))
    retireSegment(store, segment, history.readTo.get(segment)!)
    expect(fs.existsSync(segment)).toBe(false)
    expect(fs.readFileSync(accessLogPath(store), 'utf8')).toBe(encodeRecord(record(2)))
  })

  test('a late line of a newer writer is carried over unchanged, and a damaged one is not; lines are counted for the warning', () => {
    const store = path.join(dir, 'store')
    fs.mkdirSync(bookkeepingDir(store), { recursive: true })
    const segment = path.join(bookkeepingDir(store), 'access.seg-1-1.log')
    fs.writeFileSync(segment, encodeRecord(record(1)))
    const history = readHistory(store)
    const json = JSON.stringify({ ...record(2), size: 7 })
    const newer = `${checksum(json)} ${json}\n`
    fs.appendFileSync(segment, `${encodeRecord(record(3)).slice(0, 20)}${newer}garbage\n${encodeRecord(record(4))}`)
    expect(collect(segment)).toMatchObject({ damaged: 1, unknown: 1, firstUnknown: 'line 2: unknown field "size" in an access record' })
    retireSegment(store, segment, history.readTo.get(segment)!)
    expect(fs.readFileSync(path.join(bookkeepingDir(store), 'access.log'), 'utf8')).toBe(newer + encodeRecord(record(4)))
  })

  test('memory stays bounded by distinct uses: 50,000 lines of 7 spaces fold into 7 usages', () => {
    const store = path.join(dir, 'store')
    fs.mkdirSync(bookkeepingDir(store), { recursive: true })
    const block = Array.from({ length: 1000 }, (_, i) => encodeRecord({ ...record(i), project: '/work/p' })).join('')
    fs.writeFileSync(accessLogPath(store), block.repeat(50))
    const history = readHistory(store)
    expect(history.spaces.size).toBe(7)
    expect([...history.spaces.values()].reduce((sum, usage) => sum + usage.latest.size, 0)).toBe(7)
  })
})
