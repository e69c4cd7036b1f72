/**
 * Record times are parsed by hand when they have the shape this package writes (docs/design.md,
 * "The warm gc"); whatever the string, the result must be what the ISO check and `Date.parse`
 * give, and the one-entry memo must never answer for another string.
 */
import { EARLIEST_TIME_MS, recordTime } from '../../src/runtime/access-log'

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/
function reference(time: string): number | null {
  if (!ISO.test(time)) return null
  const ms = Date.parse(time)
  return Number.isNaN(ms) || ms < EARLIEST_TIME_MS ? null : ms
}

let seed = 2026
const next = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n }
const pad = (value: number, width: number): string => String(value).padStart(width, '0')

test('the shape toISOString writes, every field in and out of range, agrees with Date.parse', () => {
  const edges = {
    year: [0, 1, 999, 1000, 1969, 1970, 1999, 2000, 2024, 2026, 2100, 9999],
    month: [0, 1, 2, 9, 10, 11, 12, 13, 99], day: [0, 1, 28, 29, 30, 31, 32, 99],
    hour: [0, 1, 23, 24, 25, 99], minute: [0, 59, 60, 99], second: [0, 59, 60, 99], ms: [0, 1, 999],
  }
  const pick = (list: number[]): number => list[next(list.length)]
  for (let i = 0; i < 20_000; i++) {
    const time = `${pad(pick(edges.year), 4)}-${pad(pick(edges.month), 2)}-${pad(pick(edges.day), 2)}T${pad(pick(edges.hour), 2)}:${pad(pick(edges.minute), 2)}:${pad(pick(edges.second), 2)}.${pad(pick(edges.ms), 3)}Z`
    expect([time, recordTime(time)]).toEqual([time, reference(time)])
  }
  for (let i = 0; i < 5_000; i++) {
    const time = new Date(EARLIEST_TIME_MS - 10 * 86_400_000 + next(2 ** 31) * 1000 + next(1000)).toISOString()
    expect([time, recordTime(time)]).toEqual([time, reference(time)])
  }
})

test('anything near that shape is left to Date.parse, and agrees too', () => {
  const base = '2026-12-02T06:55:01.123Z'
  const chars = '0123456789-T:.Z +/ﾟ١'
  for (let i = 0; i < 20_000; i++) {
    let time = base
    for (let k = 0; k <= next(3); k++) {
      const at = next(time.length + 1)
      const what = next(3)
      const c = chars[next(chars.length)]
      time = what === 0 ? time.slice(0, at) + c + time.slice(at + 1) : what === 1 ? time.slice(0, at) + c + time.slice(at) : time.slice(0, at) + time.slice(at + 1)
    }
    expect([time, recordTime(time)]).toEqual([time, reference(time)])
  }
  for (const time of ['2026-12-02T06:55:01Z', '2026-12-02T06:55:01.1Z', '2026-12-02T06:55:01.123456789Z', '2026-12-02T24:00:00.000Z', '+02026-12-02T06:55:01.123Z']) {
    expect([time, recordTime(time)]).toEqual([time, reference(time)])
  }
})

test('the memo answers only for the same string', () => {
  expect(recordTime('2026-01-01T00:00:00.000Z')).toBe(Date.UTC(2026, 0, 1))
  expect(recordTime('2026-01-01T00:00:00.001Z')).toBe(Date.UTC(2026, 0, 1) + 1)
  expect(recordTime('2026-01-01T00:00:00.001Z')).toBe(Date.UTC(2026, 0, 1) + 1)
  expect(recordTime('1970-01-01T00:00:00.001Z')).toBeNull()
  expect(recordTime(42)).toBeNull()
  expect(recordTime('2026-01-01T00:00:00.000Z')).toBe(Date.UTC(2026, 0, 1))
})
