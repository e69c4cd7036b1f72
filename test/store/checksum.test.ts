import fs from 'node:fs'
import path from 'node:path'
import { checksum, checksumValue, checksumValueOfAscii, spellsChecksum } from '../../src/runtime/checksum'
import { readJsonFile, sealedJson } from '../../src/store/atomic'
import { removeTempDirs, tempDir } from '../helpers/tmp'

// The readers take the checksum from the bytes when they are ASCII (docs/design.md, "The warm
// gc"); it must be the checksum of the text, and never be taken from bytes that are not ASCII.
describe('the checksum as the readers take it', () => {
  const hex = (value: number): string => value.toString(16).padStart(8, '0')

  test('from ASCII bytes: the value of the text, for any range and tail', () => {
    let seed = 12345
    const next = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n }
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: next(300) }, () => String.fromCharCode(next(128))).join('')
      const bytes = Buffer.from(`${'x'.repeat(next(5))}${text}`, 'latin1')
      const start = bytes.length - text.length
      const cut = next(text.length + 1)
      expect(hex(checksumValueOfAscii(bytes, start, bytes.length))).toBe(checksum(text))
      expect(hex(checksumValueOfAscii(bytes, start, start + cut, '}'))).toBe(checksum(`${text.slice(0, cut)}}`))
      expect(hex(checksumValue(`ab${text}`, 2))).toBe(checksum(text))
    }
    expect(hex(checksumValueOfAscii(Buffer.alloc(0), 0, 0))).toBe(checksum(''))
  })

  test('from bytes: -1 when any byte of the range is not ASCII; bytes outside it do not count', () => {
    for (const text of ['é', 'aé', 'prøjekt', '日本', '😀', '\u0080']) {
      const bytes = Buffer.from(`ab${text}cd`, 'utf8')
      expect(checksumValueOfAscii(bytes, 0, bytes.length)).toBe(-1)
      expect(hex(checksumValueOfAscii(bytes, 0, 2))).toBe(checksum('ab'))
      expect(hex(checksumValueOfAscii(bytes, bytes.length - 2, bytes.length))).toBe(checksum('cd'))
      expect(hex(checksumValue(`ab${text}cd`))).toBe(checksum(`ab${text}cd`))
    }
    expect(checksumValueOfAscii(Buffer.from([0x41, 0xff]), 0, 2)).toBe(-1)
  })

  test('the digits compared in place: exactly the 8 lowercase hex digits checksum writes', () => {
    for (const text of ['', 'a', 'x'.repeat(99), '{"t":"access"}', 'é']) {
      const sum = checksum(text)
      const value = checksumValue(text)
      expect(spellsChecksum(`${sum} rest`, 0, value)).toBe(true)
      expect(spellsChecksum(`zz${sum}`, 2, value)).toBe(true)
      expect(spellsChecksum(sum.toUpperCase(), 0, value)).toBe(/[a-f]/.test(sum) ? false : true)
      expect(spellsChecksum(sum.slice(0, 7), 0, value)).toBe(false)
      expect(spellsChecksum(`${sum.slice(0, 7)}${sum[7] === '0' ? '1' : '0'}`, 0, value)).toBe(false)
      expect(spellsChecksum(` ${sum}`, 0, value)).toBe(false)
    }
    expect(spellsChecksum('00000000', 0, 0)).toBe(true)
    expect(spellsChecksum('ffffffff', 0, 0xffffffff)).toBe(true)
  })
})

describe('sealed state files', () => {
  afterEach(removeTempDirs)
  const isAny = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

  test.each([
    ['ASCII', { version: 1, projects: { '/work/app': { names: ['a', 'b'] } } }],
    ['non-ASCII before the seal', { version: 1, projects: { '/work/prøjekt-日本-😀': { names: ['a'] } } }],
  ])('%s: read back intact, and damaged after any one changed byte', (_, value) => {
    const dir = tempDir()
    const file = path.join(dir, 'state.json')
    const text = sealedJson(value)
    fs.writeFileSync(file, text)
    expect(readJsonFile(file, isAny, [1])).toEqual({ state: 'ok', value: { ...value, checksum: expect.any(String) } })
    // The sum written is the text's own, whichever way it was taken.
    expect(text).toBe(`${JSON.stringify(value).slice(0, -1)},"checksum":"${checksum(JSON.stringify(value))}"}`)
    const bytes = Buffer.from(text, 'utf8')
    const seal = bytes.lastIndexOf(',"checksum"')
    for (let at = 1; at < seal; at += 3) {
      const changed = Buffer.from(bytes)
      // A digit for a digit, a letter for a letter: still JSON mostly, so only the seal can tell.
      changed[at] = changed[at] >= 0x80 ? changed[at] ^ 0x01 : changed[at] === 0x61 ? 0x62 : changed[at] === 0x31 ? 0x32 : changed[at]
      if (changed.equals(bytes)) continue
      fs.writeFileSync(file, changed)
      expect(readJsonFile(file, isAny, [1]).state).toBe('damaged')
    }
  })

  test('whitespace after the seal is allowed; a non-ASCII one is not JSON', () => {
    const dir = tempDir()
    const file = path.join(dir, 'state.json')
    fs.writeFileSync(file, `${sealedJson({ version: 1, a: 'b' })}\n  \n`)
    expect(readJsonFile(file, isAny, [1]).state).toBe('ok')
    fs.writeFileSync(file, `${sealedJson({ version: 1, a: 'b' })}\u00a0`)
    expect(readJsonFile(file, isAny, [1])).toEqual({ state: 'damaged', reason: `${file}: not valid JSON` })
  })
})
