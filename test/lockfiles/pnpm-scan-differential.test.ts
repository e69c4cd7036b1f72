import { parsePnpmLockfileFast, parsePnpmLockfileSlow } from '../../src/lockfiles/pnpm'
import type { NamesResult } from '../../src/lockfiles/types'
import { corpusEntries } from './corpus'
import { PNPM_V9_DIRS, readFixture, sorted } from './fixtures'
import { lineMutations } from './line-mutations'
import { syntheticPnpmLockfile } from './synthetic-pnpm'

// The in-place scanner (the fast path) against the YAML parser (the slow path): wherever the
// scanner answers, it answers what the YAML path does: the same names and importers, or a
// refusal for both. `null` (not understood) is always allowed; the tests count how often the
// scanner answered, so that they cannot pass by refusing everything.

function verdict(result: NamesResult): unknown {
  return result.ok ? { ok: true, names: sorted(result.names), importerDirs: sorted(result.importerDirs) } : { ok: false }
}

/**
 * The YAML path with duplicate keys allowed. The scanner catches duplicates only at the levels it
 * reads (its documented contract), so where the YAML parser refuses a duplicate key the scanner
 * must agree with the YAML reading that lets it through (which refuses it again where it counts).
 */
function slowAllowingDuplicates(text: string): NamesResult {
  let result: NamesResult | undefined
  jest.isolateModules(() => {
    jest.doMock('yaml', () => {
      const real = jest.requireActual<typeof import('yaml')>('yaml')
      return { ...real, parseAllDocuments: (source: string, options: object) => real.parseAllDocuments(source, { ...options, uniqueKeys: false }) }
    })
    result = (require('../../src/lockfiles/pnpm') as typeof import('../../src/lockfiles/pnpm')).parsePnpmLockfileSlow(text)
  })
  return result!
}

/** Compares the two paths on `text`; true when the scanner answered. */
function agree(text: string, context: string): boolean {
  const fast = parsePnpmLockfileFast(text)
  if (fast === null) return false
  let slow = parsePnpmLockfileSlow(text)
  if (!slow.ok && slow.reason.includes('DUPLICATE_KEY')) slow = slowAllowingDuplicates(text)
  expect({ context, verdict: verdict(fast) }).toEqual({ context, verdict: verdict(slow) })
  return true
}

function lineCuts(text: string): number[] {
  const cuts: number[] = []
  for (let i = text.indexOf('\n'); i !== -1 && i < text.length - 1; i = text.indexOf('\n', i + 1)) cuts.push(i + 1)
  return cuts
}

const PNPM_CORPUS = corpusEntries().filter((entry) => entry.lockfile === 'pnpm-lock.yaml')

describe('pnpm scanner vs YAML parser', () => {
  test.each(PNPM_CORPUS.map((entry) => [entry.label, entry] as const))('%s: same verdict', (_label, entry) => {
    agree(entry.text, entry.label)
  })

  test('the real v9 lockfiles of the corpus take the fast path', () => {
    for (const entry of PNPM_CORPUS.filter((e) => e.label === 'corpus/pnpm' || e.label === 'corpus/vite')) {
      expect({ label: entry.label, fast: parsePnpmLockfileFast(entry.text)?.ok }).toEqual({ label: entry.label, fast: true })
    }
  })

  test.each(PNPM_V9_DIRS)('%s cut at every line boundary: same verdict', (dir) => {
    const text = readFixture(`${dir}/pnpm-lock.yaml`)
    for (const cut of lineCuts(text)) agree(text.slice(0, cut), `${dir} cut at ${cut}`)
  })

  test('a synthetic workspace lockfile cut at every line boundary: same verdict', () => {
    const text = syntheticPnpmLockfile(40, 2)
    let answered = 0
    for (const cut of lineCuts(text)) if (agree(text.slice(0, cut), `cut at ${cut}`)) answered++
    expect(answered).toBeGreaterThan(lineCuts(text).length * 0.5)
  })

  test('a real monorepo lockfile cut at sampled line boundaries: same verdict', () => {
    const entry = PNPM_CORPUS.find((e) => e.label === 'corpus/vite')!
    const cuts = lineCuts(entry.text)
    for (let k = 1; k <= 12; k++) agree(entry.text.slice(0, cuts[Math.floor((cuts.length * k) / 13)]), `vite cut ${k}/13`)
  })

  const base = syntheticPnpmLockfile(40, 2)
  const entryStart = base.indexOf('\n  pkg-')
  test('the base of the variants takes the fast path', () => {
    expect(parsePnpmLockfileFast(base)).toMatchObject({ ok: true })
  })

  test.each<[string, string, boolean]>([
    ['CRLF', base.replace(/\n/g, '\r\n'), false],
    ['a tab indent', base.replace('\n    resolution:', '\n\tresolution:'), false],
    ['a comment line', base.replace('\npackages:\n', '\npackages:\n  # hand-written\n'), false],
    ['a comment after a value', base.replace(/(resolution: \{integrity: [^}]*\})/, '$1 # note'), false],
    ['an anchor and an alias', base.replace(/(\n {4}resolution: )/, '$1&r ').replace(/(\n {4}resolution: )(?!&)/, '$1*r\n    x: '), false],
    ['a block scalar in an entry', base.replace(/(\n {2}pkg-[^\n]*:\n)/, '$1    deprecated: |\n      gone\n\n      # not a comment\n'), true],
    ['a block scalar at the entry level', base.replace(/(\n {2}pkg-[^\n]*:)\n/, '$1 |\n    text\n'), false],
    ['a double-quoted entry key', base.replace(/\n {2}(pkg-[^\n:]*):/, '\n  "$1":'), true],
    ['a single-quoted entry key with a quote', base.replace(/\n {2}(pkg-[^\n:]*):/, "\n  'it''s-$1':"), true],
    ['a duplicate entry', base.slice(0, entryStart) + base.slice(entryStart, base.indexOf('\n\n', entryStart + 1)) + base.slice(entryStart), false],
    ['entries out of order', base.replace(/(\n {2}pkg-[^\n]*\n(?: {4}[^\n]*\n)*)(\n {2}pkg-[^\n]*\n(?: {4}[^\n]*\n)*)/, '$2$1'), true],
    ['a non-ASCII name', base.replace(/pkg-1@/g, 'pkg-ü@').replace(/pkg-1:/g, 'pkg-ü:'), true],
    ['a --- line in the middle', base.replace('\nsnapshots:\n', '\n---\nsnapshots:\n'), false],
    ['a ... line', base.replace('\nsnapshots:\n', '\n...\nsnapshots:\n'), false],
    ['a config dependencies document first', `---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    configDependencies: {}\n\npackages:\n\n  cfg@1.0.0:\n    resolution: {integrity: sha512-x}\n\nsnapshots:\n\n  cfg@1.0.0: {}\n\n---\n${base}`, true],
    ['only a config document', `---\n${base}`, true],
    ['a multi-line flow mapping', base.replace(/resolution: \{integrity: /, 'resolution: {\n      integrity: '), false],
    ['a flow sequence', base.replace(/(\n {4}resolution: )/, '\n    os: [linux, darwin]$1'), true],
    ['a blank line of spaces between entries', base.replace('\n\n  pkg-', '\n  \n  pkg-'), true],
    ['an entry body at indent 3', base.replace(/\n {4}resolution:/, '\n   resolution:'), false],
    ['an explicit key', base.replace(/\n {2}(pkg-[^\n:]*):/, '\n  ? $1\n  :'), false],
    ['a tag', base.replace(/(\n {4}resolution: )/, '$1!!map '), false],
    ['an importer dependency with version before specifier', base.replace(/( {8}specifier: [^\n]*\n)( {8}version: [^\n]*\n)/, '$2$1'), true],
    ['a quoted importer version', base.replace(/( {8}version: )([^\n]*)/, "$1'$2'"), true],
    ['a duplicate importer dependency', base.replace(/(\n {6}[^ \n][^\n]*:\n {8}specifier: [^\n]*\n {8}version: [^\n]*)/, '$1$1'), false],
    ['a quoted specifier holding a quote', base.replace(/( {8}specifier: )[^\n]*/, "$1'it''s'"), true],
    ['an importer dependency with a third field', base.replace(/( {8}version: [^\n]*\n)/, '$1        optional: true\n'), true],
    ['an importer dependency without specifier', base.replace(/ {8}specifier: [^\n]*\n/, ''), true],
  ])('%s: the scanner agrees with the YAML parser or leaves it to it (answers: %s)', (label, text, fast) => {
    expect(text).not.toBe(base)
    expect(agree(text, label)).toBe(fast)
  })

  test('seeded line mutations of a lockfile: same verdict wherever the scanner answers', () => {
    let answered = 0
    let round = 0
    for (const text of lineMutations(syntheticPnpmLockfile(40, 2), 1000)) if (agree(text, `round ${round++}`)) answered++
    expect(answered).toBeGreaterThan(400)
  })
})
