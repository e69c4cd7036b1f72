/**
 * assessWorld's `asked`: the install hook asks the world about a few names only. The names it
 * asks about must be live exactly when a full assessment says so, attributed to the same first
 * project; with few names (a scan per name) and with many (a lookup per listed name).
 */
import fs from 'node:fs'
import path from 'node:path'
import { assessWorld } from '../../src/gc/world'
import { NAMES_RULES } from '../../src/gc/projects'
import { bookkeepingDir } from '../../src/runtime/layout'
import { emptyRegistry, loadRegistry, saveRegistry, type LockfileStamp, type ProjectEntry } from '../../src/store/registry'
import type { History } from '../../src/store/history'
import { removeTempDirs, tempDir } from '../helpers/tmp'

afterEach(removeTempDirs)

function pnpmProject(dir: string, deps: string[]): string {
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), dependencies: Object.fromEntries(deps.map((d) => [d, '^1.0.0'])) }))
  fs.writeFileSync(path.join(dir, 'pnpm-lock.yaml'), [
    "lockfileVersion: '9.0'", '', 'importers:', '', '  .:', '    dependencies:',
    ...deps.flatMap((dep) => [`      ${dep}:`, '        specifier: ^1.0.0', '        version: 1.0.0']), '',
    'packages:', '', ...deps.flatMap((dep) => [`  ${dep}@1.0.0:`, `    resolution: {integrity: sha512-${dep}}`, '']),
    'snapshots:', '', ...deps.flatMap((dep) => [`  ${dep}@1.0.0: {}`, '']),
  ].join('\n'))
  return dir
}

test('liveNames restricted to the asked names agrees with the full one', () => {
  const tmp = tempDir()
  const many = Array.from({ length: 30 }, (_, i) => `dep-${i}`)
  const dirs = [
    pnpmProject(path.join(tmp, 'a'), ['shared', 'only-a', ...many.slice(0, 20)]),
    pnpmProject(path.join(tmp, 'b'), ['shared', 'only-b', ...many.slice(10)]),
    pnpmProject(path.join(tmp, 'c'), ['only-c']),
  ]
  const history = { projects: new Map(dirs.map((dir) => [dir, null])) } as unknown as History
  const full = assessWorld(emptyRegistry(), history, Date.now())
  const probes = ['shared', 'only-a', 'only-b', 'only-c', 'a', 'b', 'c', 'nowhere', ...many]
  for (const asked of [new Set(['shared', 'only-b', 'nowhere']), new Set([...many, 'only-c', 'b', 'nowhere'])]) {
    const some = assessWorld(emptyRegistry(), history, Date.now(), new Map(), asked)
    for (const name of probes) expect([name, some.liveNames.get(name)]).toEqual([name, asked.has(name) ? full.liveNames.get(name) : undefined])
    expect(some.projects).toEqual(full.projects)
  }
  expect(full.liveNames.get('shared')).toBe(dirs[0])
  expect(full.liveNames.get('dep-15')).toBe(dirs[0])
  expect(full.liveNames.get('dep-25')).toBe(dirs[1])
  const none = assessWorld(emptyRegistry(), history, Date.now(), new Map(), new Set())
  for (const name of probes) expect(none.liveNames.get(name)).toBeUndefined()
})

/** A small seeded generator (mulberry32): the same cases every run, many shapes across seeds. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Registry entries' names: no grammar is checked there, so names that are awkward as object keys too. */
const POOL = [...Array.from({ length: 40 }, (_, i) => `p${i}`), '__proto__', 'constructor', 'toString', '@s/x', 'é', 'P1']
/** Names a lockfile may spell plainly (they are read back through the pnpm reader). */
const PLAIN = POOL.filter((name) => /^p\d+$/.test(name))

type Kind = 'cached' | 'stale' | 'unknown' | 'gone' | 'override' | 'foreign' | 'history'
const KINDS: Kind[] = ['cached', 'stale', 'unknown', 'gone', 'override', 'foreign', 'history']

test('full liveNames: the first sorted project using each name, however its names came (differential)', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const rand = seeded(seed)
    const subset = <T>(items: readonly T[], p: number): T[] => items.filter(() => rand() < p).sort(() => rand() - 0.5)
    const tmp = tempDir()
    const store = path.join(tmp, 'store')
    const otherStore = path.join(tmp, 'other-store')
    for (const root of [store, otherStore]) fs.mkdirSync(bookkeepingDir(root), { recursive: true })
    const now = Date.now()
    const entry = (names: string[], lockfiles: LockfileStamp[] = []): ProjectEntry => ({ names, lockfiles, checkedAt: new Date(now).toISOString(), source: 'access' })
    const stampsOf = (dir: string): LockfileStamp[] => {
      const file = path.join(dir, 'pnpm-lock.yaml')
      const stat = fs.statSync(file)
      return [{ path: file, size: stat.size, mtimeMs: stat.mtimeMs }, { ...NAMES_RULES }]
    }
    const registry = emptyRegistry()
    const foreign = emptyRegistry()
    const historyDirs: string[] = []
    const overrideNames = new Map<string, string[]>()
    const expectedNames = new Map<string, string[]>()
    const count = 4 + Math.floor(rand() * 14)
    for (let i = 0; i < count; i++) {
      const kind = KINDS[Math.floor(rand() * KINDS.length)]
      // Names share prefixes so that sorted order and creation order differ.
      const dir = path.join(tmp, 'projects', `${String.fromCharCode(97 + Math.floor(rand() * 4))}${i}`)
      const names = subset(POOL, 0.3)
      if (kind === 'cached') {
        pnpmProject(dir, subset(PLAIN, 0.2))
        registry.projects[dir] = entry(names, stampsOf(dir))
        expectedNames.set(dir, names)
      } else if (kind === 'stale' || kind === 'history') {
        // Read again this run: its names include some no registry table holds.
        const deps = [...subset(PLAIN, 0.3), ...Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, k) => `fresh-${(i + k) % 5}`)]
        pnpmProject(dir, deps)
        if (kind === 'stale') registry.projects[dir] = entry(names, [{ path: path.join(dir, 'pnpm-lock.yaml'), size: 1, mtimeMs: 1 }, { ...NAMES_RULES }])
        else historyDirs.push(dir)
        expectedNames.set(dir, [...deps, path.basename(dir)])
      } else if (kind === 'unknown') {
        fs.mkdirSync(dir, { recursive: true })
        registry.projects[dir] = entry(names)
        expectedNames.set(dir, names)
      } else if (kind === 'gone') {
        registry.projects[dir] = entry(names)
      } else if (kind === 'foreign') {
        // An override whose names were decoded from another store's table.
        foreign.projects[dir] = entry([...names, `foreign-${i % 3}`])
        overrideNames.set(dir, foreign.projects[dir].names)
        if (rand() < 0.5) registry.projects[dir] = entry(subset(POOL, 0.3))
      } else {
        overrideNames.set(dir, [...names, `hook-${i % 3}`])
        if (rand() < 0.5) registry.projects[dir] = entry(subset(POOL, 0.3))
      }
    }
    // Format 1 for some seeds (names spelled out: no table), format 2 through the real writer otherwise.
    if (seed % 4 === 0) fs.writeFileSync(path.join(bookkeepingDir(store), 'registry.json'), JSON.stringify(registry))
    else saveRegistry(store, registry)
    saveRegistry(otherStore, foreign)
    const loaded = loadRegistry(store)
    const loadedForeign = loadRegistry(otherStore)
    if (loaded.state !== 'ok' || loadedForeign.state !== 'ok') throw new Error('registry did not load')
    const overrides = new Map<string, ProjectEntry>()
    for (const [dir, names] of overrideNames) {
      const kept = loadedForeign.value.projects[dir]
      overrides.set(dir, kept ?? entry(names))
      expectedNames.set(dir, kept?.names ?? names)
    }
    const history = { projects: new Map(historyDirs.map((dir) => [dir, null])) } as unknown as History
    const world = assessWorld(loaded.value, history, now, overrides)

    // The old way, independently: one map, projects in sorted order, the first one to list a name keeps it.
    const expected = new Map<string, string>()
    for (const dir of [...expectedNames.keys()].sort()) for (const name of expectedNames.get(dir) ?? []) if (!expected.has(name)) expected.set(name, dir)
    const probes = [...POOL, ...Array.from({ length: 5 }, (_, k) => `fresh-${k}`), 'foreign-0', 'foreign-1', 'foreign-2', 'hook-0', 'hook-1', 'hook-2',
      ...[...expectedNames.keys()].map((dir) => path.basename(dir)), 'absent', 'hasOwnProperty', '', 'p400']
    for (const name of probes) expect([seed, name, world.liveNames.get(name)]).toEqual([seed, name, expected.get(name)])
    for (const asked of [new Set(subset(probes, 0.1)), new Set(subset(probes, 0.6))]) {
      const some = assessWorld(loaded.value, history, now, overrides, asked)
      for (const name of probes) expect([seed, name, some.liveNames.get(name)]).toEqual([seed, name, asked.has(name) ? expected.get(name) : undefined])
    }
  }
})
