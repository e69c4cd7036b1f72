import fs from 'node:fs'
import path from 'node:path'

import { runGc } from '../../src/gc'
import { kindFromFileName, parseLockfile } from '../../src/lockfiles'
import { isPackageName as isOwnerName } from '../../src/runtime/names'
import { makeSpace, recordUse } from '../gc/support'
import { useSandbox } from '../runtime/support'
import { corpusEntries, oracleNames, writeProject, type CorpusEntry } from './corpus'
import { sorted } from './fixtures'

// Real lockfiles of public repositories (corpus/SOURCES.json) and the files the real tools wrote:
// our names must be exactly the official parser's, and a gc over each must keep every name's
// space, delete the near misses, and find the project present.
const ENTRIES = corpusEntries()
const CASES = ENTRIES.map((entry): [string, CorpusEntry] => [entry.label, entry])

function ourRead(entry: CorpusEntry): ReturnType<typeof parseLockfile> & { ok: true } {
  const read = parseLockfile(kindFromFileName(entry.lockfile)!, entry.text)
  if (!read.ok) throw new Error(`${entry.label}: ${read.reason}`)
  return read
}

// A gc over thousands of spaces per lockfile takes tens of seconds on a small machine; every
// STRIDE-th name (in the reader's order) covers each file's shapes at a fraction of the cost.
const MAX_SPACES = 250

function sample(names: string[]): string[] {
  const stride = Math.ceil(names.length / MAX_SPACES)
  return names.filter((_, i) => i % stride === 0)
}

/** A name no lockfile lists but close to one that it does. */
function nearMisses(names: ReadonlySet<string>): string[] {
  const misses = new Set<string>()
  for (const name of names) {
    for (const miss of [`${name}-x`, name.startsWith('@') ? `@x${name.slice(1)}` : `x${name}`]) if (!names.has(miss)) misses.add(miss)
  }
  return [...misses]
}

describe('differential corpus', () => {
  const box = useSandbox()

  test('holds at least 12 real lockfiles from public repositories, of every format', () => {
    const corpus = ENTRIES.filter((entry) => entry.label.startsWith('corpus/'))
    expect(corpus.length).toBeGreaterThanOrEqual(12)
    expect(new Set(corpus.map((entry) => entry.lockfile))).toEqual(new Set(['pnpm-lock.yaml', 'yarn.lock', 'package-lock.json', 'bun.lock', 'deno.lock']))
  })

  test.each(CASES)('%s: our names are the official parser\'s', async (_label, entry) => {
    const dir = path.join(box.tmp, 'project')
    writeProject(entry, dir)
    expect(sorted(ourRead(entry).names)).toEqual(sorted(await oracleNames(entry, dir)))
  })

  test.each(CASES)('%s: gc keeps a space for every listed name, deletes the near misses, and the project is present', async (_label, entry) => {
    const dir = path.join(box.tmp, 'project')
    writeProject(entry, dir)
    const read = ourRead(entry)
    // Dependencies the lockfile knows only by alias (git, tarball URL): installed as the install would.
    for (const { alias } of read.unresolved ?? []) {
      const manifest = path.join(dir, 'node_modules', alias, 'package.json')
      if (!fs.existsSync(manifest)) {
        fs.mkdirSync(path.dirname(manifest), { recursive: true })
        fs.writeFileSync(manifest, JSON.stringify({ name: alias, version: '1.0.0' }))
      }
    }
    // Only valid owner names can own a space (`JSONStream`, `$repo-utils` are listed but cannot).
    const listed = sample([...read.names].filter(isOwnerName))
    const misses = [...sample(nearMisses(read.names).filter(isOwnerName)), 'not-in-any-lockfile']
    for (const owner of [...listed, ...misses]) {
      makeSpace(box.store, owner, 'cache')
      recordUse(box.store, { owner, key: 'cache' }, dir)
    }
    const report = await runGc()
    expect(report.projects).toEqual([expect.objectContaining({ dir, status: 'present' })])
    const action = new Map(report.spaces.map((space) => [space.owner, space.action]))
    expect(listed.filter((owner) => action.get(owner) !== 'keep')).toEqual([])
    expect(misses.filter((owner) => action.get(owner) !== 'deleted')).toEqual([])
    for (const miss of misses.slice(0, 1)) expect(fs.existsSync(path.join(box.store, ...miss.split('/'), 'cache'))).toBe(false)
  })
})
