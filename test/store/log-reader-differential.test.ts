import fs from 'node:fs'
import path from 'node:path'
import { UnknownRecord, encodeRecord, readLineOrTail, type AccessRecord, type LogRecord } from '../../src/runtime/access-log'
import { checksum, checksumValueOfAscii } from '../../src/runtime/checksum'
import { forEachRecord } from '../../src/store/log-reader'
import { removeTempDirs, tempDir } from '../helpers/tmp'

// Counts the reader's byte checksums (the real function runs), to see that the fast path is taken.
jest.mock('../../src/runtime/checksum', () => {
  const actual: typeof import('../../src/runtime/checksum') = jest.requireActual('../../src/runtime/checksum')
  return { ...actual, checksumValueOfAscii: jest.fn(actual.checksumValueOfAscii) }
})
const bytePath = checksumValueOfAscii as jest.MockedFunction<typeof checksumValueOfAscii>

// The streaming reader decodes each 1 MiB chunk once and cuts it at its newlines (see
// docs/design.md, "The warm gc"). Reference: every line's bytes decoded on their own, as the
// reader did before, then read by the one line decoder. Both must agree on every input.
function reference(bytes: Buffer, from: number): { records: LogRecord[]; unknown: string[]; damaged: number; end: number } {
  const out = { records: [] as LogRecord[], unknown: [] as string[], damaged: 0, end: from }
  let start = from
  for (;;) {
    const stop = bytes.indexOf(10, start)
    const last = stop === -1
    const text = bytes.toString('utf8', start, last ? bytes.length : stop)
    if (text !== '') {
      const read = readLineOrTail(text)
      if (read === null) out.damaged++
      else if (read instanceof UnknownRecord) out.unknown.push(read.line)
      else out.records.push(read)
    }
    if (last) break
    start = stop + 1
    out.end = start
  }
  return out
}

function streamed(file: string, from: number): ReturnType<typeof reference> {
  const records: LogRecord[] = []
  const unknown: string[] = []
  const { damaged, end } = forEachRecord(file, (r) => records.push(r), from, (u) => unknown.push(u.line))
  return { records, unknown, damaged, end }
}

/** A small seeded generator (xorshift32), so a failure replays. */
function rng(seed: number): { next: () => number; int: (n: number) => number } {
  let x = seed >>> 0 || 1
  const next = (): number => {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    return x / 2 ** 32
  }
  return { next, int: (n) => Math.floor(next() * n) }
}

const base = (i: number, project: string | null): AccessRecord => ({
  t: 'access', space: `pkg-${i % 13}/cache`, owner: `pkg-${i % 13}`, caller: i % 5 === 0 ? null : `pkg-${i % 7}`, project,
  time: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), pid: i,
})
const sealed = (json: string): string => `${checksum(json)} ${json}\n`

/** One line of a hostile log (as bytes): mostly intact records, and every kind of damage. */
function hostileLine(r: ReturnType<typeof rng>, i: number, ascii = false): Buffer {
  // ASCII-only logs take the reader's byte checksum path (see checksumValueOfAscii); a rare non-ASCII line still comes.
  const projects = ascii && r.int(4000) !== 0 ? ['/work/p', null, `/work/${'deep/'.repeat(20)}x`] : ['/work/p', '/work/prøjekt-日本', '/work/emoji-😀', null, `/work/${'deep/'.repeat(20)}x`]
  const record = base(i, projects[r.int(projects.length)])
  const good = encodeRecord(record)
  switch (r.int(16)) {
    case 0: return Buffer.from(`${'0'.repeat(8)}${good.slice(8)}`) // bad checksum
    case 1: return Buffer.from(sealed(JSON.stringify({ ...record, size: 7 }))) // unknown field
    case 2: return Buffer.from(sealed(JSON.stringify({ ...record, v: 2 }))) // newer version
    case 3: return Buffer.from(good.slice(0, r.int(good.length - 1))) // truncated, then glued to the next line
    case 4: return Buffer.from(`${good.slice(0, -1)}\r\n`) // CRLF
    case 5: // now and then a huge line, under 64 KiB
      return Buffer.from(r.int(8) === 0 ? sealed(JSON.stringify({ ...record, project: `/work/${'h'.repeat(40_000 + r.int(20_000))}` })) : good)
    case 6: { // non-UTF-8 bytes: lone continuations, a cut multi-byte sequence, an overlong form, a BOM
      if (ascii) return Buffer.from(`${good.slice(0, 20)}\u0001${good.slice(20)}`) // or a control character
      const junk = [[0x80], [0xe2, 0x82], [0xc0, 0xaf], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xf0, 0x9f, 0x98]][r.int(6)]
      const text = Buffer.from(good)
      const at = r.int(text.length - 1)
      return Buffer.concat([text.subarray(0, at), Buffer.from(junk), text.subarray(at)])
    }
    case 7: return Buffer.from('\n') // an empty line
    case 8: return Buffer.from(sealed('{"t":"access"')) // sealed, not JSON
    case 9: return Buffer.from(sealed(JSON.stringify({ ...record, space: '../../etc/x' }))) // sealed, unsound
    case 10: return ascii ? Buffer.from(`x${good}`) : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)]) // a BOM (a byte) before a record
    default: return Buffer.from(good)
  }
}

describe('the chunked log reader agrees with a line-by-line decode', () => {
  let dir = ''
  beforeEach(() => { dir = tempDir() })
  afterEach(removeTempDirs)

  test.each([
    [1, 'mixed'], [2, 'mixed'], [3, 'ascii'], [4, 'ascii'],
  ] as const)('hostile log %i (%s): the same records, unknown lines, damaged count and end, from any offset', (seed, kind) => {
    const r = rng(seed * 7919)
    const parts: Buffer[] = []
    let size = 0
    // Past two chunk boundaries, so lines (and multi-byte characters) straddle them.
    for (let i = 0; size < 2.6 * 1024 * 1024; i++) {
      const line = hostileLine(r, i, kind === 'ascii')
      parts.push(line)
      size += line.length
    }
    // A last line without its newline (a writer cut short).
    parts.push(Buffer.from(encodeRecord(base(1, '/work/p')).slice(0, 40)))
    const bytes = Buffer.concat(parts)
    const file = path.join(dir, 'access.log')
    fs.writeFileSync(file, bytes)
    for (const from of [0, bytes.indexOf(10) + 1, bytes.indexOf(10, 1024 * 1024) + 1]) {
      const want = reference(bytes, from)
      expect(want.records.length).toBeGreaterThan(1000)
      expect(want.unknown.length).toBeGreaterThan(50)
      expect(want.damaged).toBeGreaterThan(50)
      // Compared as JSON: the same, and much faster to compare than the objects.
      bytePath.mockClear()
      expect(JSON.stringify(streamed(file, from))).toBe(JSON.stringify(want))
      // The ASCII logs' lines are checked from their bytes (the mixed ones only where a chunk is all ASCII).
      if (kind === 'ascii') expect(bytePath.mock.results.filter((call) => call.value >= 0).length).toBeGreaterThan(want.records.length / 2)
    }
  })

  test('multi-byte characters cut by every chunk boundary read the same', () => {
    const record = encodeRecord(base(3, '/work/日本語-ø-😀'))
    // Shift the boundary through every byte of a 4-byte and a 3-byte character.
    for (let shift = 0; shift < 8; shift++) {
      const filler = encodeRecord(base(1, `/work/${'f'.repeat(200 + shift)}`))
      const count = Math.ceil((1024 * 1024) / filler.length)
      const bytes = Buffer.from(filler.repeat(count) + record.repeat(3))
      const file = path.join(dir, `access-${shift}.log`)
      fs.writeFileSync(file, bytes)
      expect(JSON.stringify(streamed(file, 0))).toBe(JSON.stringify(reference(bytes, 0)))
    }
  })
})
