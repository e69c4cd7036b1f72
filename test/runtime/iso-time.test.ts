/** isoTime: the access records' timestamps without Date (whose first toISOString is slow), same output. */
import fc from 'fast-check'
import { isoTime } from '../../src/runtime/iso-time'

const outcome = (fn: () => string): string => {
  try {
    return fn()
  } catch (err) {
    return `throws ${(err as Error).constructor.name}`
  }
}

describe('isoTime', () => {
  test.each([0, -1, 1, 86_399_999, 86_400_000, 951_782_400_000, 951_868_800_000, 4_107_542_400_000, 1_700_000_000_123,
    -2_208_988_800_001, -62_167_219_200_000, 253_402_300_799_999])('%d is what Date says', (ms) => {
    expect(isoTime(ms)).toBe(new Date(ms).toISOString())
  })

  test('any millisecond of years 0–9999 is what Date says', () => {
    fc.assert(fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString())
    }), { numRuns: 20_000 })
  })

  test.each([1.5, Number.NaN, Infinity, -62_167_219_200_001, 253_402_300_800_000, 8.64e15 + 1])('%d behaves as Date does', (ms) => {
    expect(outcome(() => isoTime(ms))).toBe(outcome(() => new Date(ms).toISOString()))
  })
})
