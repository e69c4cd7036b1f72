import { kindFromFileName, parseLockfile } from '../../src/lockfiles'
import { parsePnpmLockfileSlow } from '../../src/lockfiles/pnpm'
import type { LockfileKind } from '../../src/lockfiles'
import { CASES, readFixture, sorted } from './fixtures'

/** Every line boundary (before and after each newline) plus 50 evenly spread byte offsets. */
function cutPoints(text: string): number[] {
  const cuts = new Set<number>()
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) cuts.add(i).add(i + 1)
  for (let k = 1; k < 50; k++) cuts.add(Math.floor((text.length * k) / 50))
  return [...cuts].filter((cut) => cut > 0 && cut < text.length).sort((a, b) => a - b)
}

/** Offset of the last entry key line (`  key:` in YAML, `\t\t"key": {` in v13): cuts before it lose an entry. */
function lastEntryStart(text: string): number {
  let last = -1
  for (const match of text.matchAll(/^(?: {2}|\t\t)\S/gm)) last = match.index
  return last
}

describe('truncated lockfiles', () => {
  test.each(CASES)('$file cut short: never a crash, never a wrong answer', ({ file }) => {
    const kind = kindFromFileName(file) as LockfileKind
    const text = readFixture(file)
    const full = parseLockfile(kind, text)
    if (!full.ok) throw new Error(full.reason)
    const lastEntry = lastEntryStart(text)
    for (const cut of cutPoints(text)) {
      const partial = text.slice(0, cut)
      const reads = kind === 'pnpm' ? [parseLockfile(kind, partial), parsePnpmLockfileSlow(partial)] : [parseLockfile(kind, partial)]
      for (const read of reads) {
        if (!read.ok) continue
        const context = `${file} cut at ${cut}/${text.length}: ${JSON.stringify(partial.slice(-40))}`
        if (kind === 'pnpm') {
          // pnpm: only a cut inside the last entry's body may still read, and then nothing is lost.
          expect({ context, after: cut > lastEntry }).toEqual({ context, after: true })
          expect({ context, names: sorted(read.names) }).toEqual({ context, names: sorted(full.names) })
        } else {
          // Other formats: a cut between entries may read as a smaller, valid file.
          expect({ context, extra: sorted(read.names).filter((name) => !full.names.has(name)) }).toEqual({ context, extra: [] })
          expect({ context, extra: read.importerDirs.filter((dir) => !full.importerDirs.includes(dir)) }).toEqual({ context, extra: [] })
        }
      }
    }
  })
})

describe('pnpm lockfiles with one line dropped', () => {
  // A lost section line (`  .:`, `    dependencies:`, `importers:`) moves entries into a
  // neighbouring section; the readers must refuse that rather than skip the moved entries.
  const files = CASES.map((c) => c.file).filter((file) => file.endsWith('pnpm-lock.yaml') && !file.includes('-v13'))

  test.each(files)('%s: every variant is refused or lists every name', (file) => {
    const text = readFixture(file)
    const full = parseLockfile('pnpm', text)
    if (!full.ok) throw new Error(full.reason)
    const lines = text.split('\n')
    const lossy: string[] = []
    for (let n = 0; n < lines.length - 1; n++) {
      const read = parseLockfile('pnpm', [...lines.slice(0, n), ...lines.slice(n + 1)].join('\n'))
      if (read.ok && [...full.names].some((name) => !read.names.has(name))) lossy.push(`line ${n + 1} ${JSON.stringify(lines[n])}`)
    }
    expect(lossy).toEqual([])
  })
})
