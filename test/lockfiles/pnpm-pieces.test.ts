import fs from 'node:fs'
import path from 'node:path'
import { parseLockfile, readLockfile } from '../../src/lockfiles'
import { PIECE_BYTES, scanPnpmPieces } from '../../src/lockfiles/pnpm-pieces'
import { scanPnpmDocument } from '../../src/lockfiles/pnpm-scan'
import { corpusEntries } from './corpus'
import { useTempDirs } from './fixtures'
import { lineMutations } from './line-mutations'
import { syntheticPnpmLockfile } from './synthetic-pnpm'

// The scanner fed a lockfile in pieces against the scanner reading the whole text: wherever the
// pieces answer, they answer what the whole text does. `null` is always allowed; the tests count
// the answers, so that they cannot pass by refusing everything.

const PNPM_CORPUS = corpusEntries().filter((entry) => entry.lockfile === 'pnpm-lock.yaml' && /^[\x00-\x7f]*$/.test(entry.text))
const SIZES = [97, 300, 1024, 8192, PIECE_BYTES]

function bytesOf(text: string): Buffer {
  return Buffer.from(text, 'latin1')
}

/** Compares the pieces of `size` with the whole text on `text`; true when the pieces answered. */
function agree(text: string, size: number, context: string): boolean {
  const pieces = scanPnpmPieces(bytesOf(text), size)
  const whole = /^[A-Za-z]/.test(text) && text.endsWith('\n') ? scanPnpmDocument(text, 0, text.length) : null
  expect({ context, size, pieces: pieces ?? whole }).toEqual({ context, size, pieces: whole })
  return pieces !== null
}

/** `lines` lines of `x` (with `indent` spaces) as a top-level block scalar of `key`. */
function topLevelScalar(key: string, indent: number, lines: number): string {
  return `${key}: |\n${Array.from({ length: lines }, (_, i) => `${' '.repeat(indent)}line ${i}\n`).join('')}\n`
}

describe('a pnpm lockfile read in pieces', () => {
  test.each(PNPM_CORPUS.map((entry) => [entry.label, entry] as const))('%s: the same extract at every piece size', (_label, entry) => {
    for (const size of SIZES) agree(entry.text, size, entry.label)
    // Real lockfiles are cut where pnpm's layout allows: at the real size, the pieces always answer when the whole text does.
    if (scanPnpmDocument(entry.text, 0, entry.text.length) !== null && /^[A-Za-z]/.test(entry.text)) {
      expect({ label: entry.label, answered: scanPnpmPieces(bytesOf(entry.text)) !== null }).toEqual({ label: entry.label, answered: true })
    }
  })

  test('the corpus holds lockfiles of several pieces at the real size', () => {
    const large = PNPM_CORPUS.filter((entry) => entry.text.length > 2 * PIECE_BYTES && scanPnpmPieces(bytesOf(entry.text)) !== null)
    expect(large.length).toBeGreaterThan(0)
  })

  test('a synthetic workspace lockfile cut at every line boundary, in pieces of 200 bytes: same extract', () => {
    const text = syntheticPnpmLockfile(40, 2)
    let answered = 0
    let cuts = 0
    for (let i = text.indexOf('\n'); i !== -1 && i < text.length - 1; i = text.indexOf('\n', i + 1), cuts++) {
      if (agree(text.slice(0, i + 1), 200, `cut at ${i + 1}`)) answered++
    }
    expect(answered).toBeGreaterThan(cuts * 0.5)
  })

  test('seeded line mutations, in pieces of 300 and 1,000 bytes: same extract wherever the pieces answer', () => {
    let answered = 0
    let round = 0
    for (const text of lineMutations(syntheticPnpmLockfile(60, 3), 600, 11)) {
      if (agree(text, 300, `round ${round}`)) answered++
      if (agree(text, 1000, `round ${round++}`)) answered++
    }
    expect(answered).toBeGreaterThan(500)
  })

  test('a top-level block scalar that a piece cuts is not read in pieces: the next piece starts deeper than the key of a value', () => {
    const head = "lockfileVersion: '9.0'\n\n"
    const rest = syntheticPnpmLockfile(40, 2).slice(head.length)
    // Its content lines have indent 2, where pieces may be cut; the whole text reads it as one scalar.
    const text = `${head}${topLevelScalar('notes', 2, 40)}${rest}`
    expect(scanPnpmDocument(text, 0, text.length)).not.toBeNull()
    expect(scanPnpmPieces(bytesOf(text), 200)).toBeNull()
    // The same scalar at indent 4 under a key at indent 2 ends where a piece does: read in pieces.
    const nested = text.replace(topLevelScalar('notes', 2, 40), `settings2:\n  ${topLevelScalar('notes', 4, 40)}`)
    expect(scanPnpmDocument(nested, 0, nested.length)).not.toBeNull()
    expect(agree(nested, 200, 'nested')).toBe(true)
  })

  test.each<[string, string]>([
    ['CRLF', syntheticPnpmLockfile(40, 2).replace(/\n/g, '\r\n')],
    ['a NUL byte', syntheticPnpmLockfile(40, 2).replace('\nsnapshots:', '\n\u0000snapshots:')],
    ['no final newline', syntheticPnpmLockfile(40, 2).slice(0, -1)],
    ['a --- first line', `---\n${syntheticPnpmLockfile(40, 2)}`],
    ['a blank first line', `\n${syntheticPnpmLockfile(40, 2)}`],
    ['a JSON-like document', '{\n  "lockfileVersion": "13.0"\n}\n'],
  ])('%s: left to the whole text', (_label, text) => {
    expect(scanPnpmPieces(bytesOf(text), 1024)).toBeNull()
  })

  test('the base of those cases is read in pieces, and an importer longer than a piece makes a longer piece', () => {
    const base = syntheticPnpmLockfile(40, 2)
    expect(agree(base, 1024, 'base')).toBe(true)
    const deps = Array.from({ length: 40 }, (_, i) => `      fake-${i}:\n        specifier: 1.0.0\n        version: 1.0.0\n`).join('')
    const text = base.replace('\n  .:\n    devDependencies:\n', `\n  .:\n    devDependencies:\n${deps}`)
    expect(text).not.toBe(base)
    expect(deps.length).toBeGreaterThan(1024)
    expect(agree(text, 1024, 'a long importer')).toBe(true)
  })

  describe('readLockfile', () => {
    const temp = useTempDirs()
    const large = syntheticPnpmLockfile(900, 5)

    test('a lockfile of several pieces reads as its whole text does', () => {
      expect(large.length).toBeGreaterThan(3 * PIECE_BYTES)
      expect(scanPnpmPieces(bytesOf(large))).not.toBeNull()
      const file = path.join(temp.make(), 'pnpm-lock.yaml')
      fs.writeFileSync(file, large)
      expect(readLockfile(file)).toEqual(parseLockfile('pnpm', large))
    })

    test.each<[string, string]>([
      ['cut in the middle of a line', large.slice(0, Math.floor(large.length * 0.6))],
      ['cut at a line boundary', large.slice(0, large.indexOf('\n', Math.floor(large.length * 0.6)) + 1)],
      ['with a non-ASCII name', large.replace(/pkg-1@/g, 'pkg-ü@').replace(/pkg-1:/g, 'pkg-ü:')],
      ['with a block scalar at the top level', large.replace('\nimporters:', `\n${topLevelScalar('notes', 2, 4000)}importers:`)],
    ])('a large lockfile %s: what its whole text gives', (_label, text) => {
      const file = path.join(temp.make(), 'pnpm-lock.yaml')
      fs.writeFileSync(file, text)
      const whole = parseLockfile('pnpm', text)
      const read = readLockfile(file)
      expect(read.ok ? read : { ...read, reason: read.reason.replace(`${file}: `, '') }).toEqual(whole)
    })
  })
})
