import { aliasTarget, isLoosePackageName, nameFromKey } from './names'
import { fail, isRecord, type NamesResult } from './types'

/** The dependency sections of an importer whose keys are package names or aliases. */
export const IMPORTER_DEP_FIELDS: ReadonlySet<string> = new Set(['dependencies', 'devDependencies', 'optionalDependencies'])

/** A dependency of an importer: its key (a name or alias) and the locked version, when recorded. */
export interface ImporterDep {
  name: string
  version: string | null
}

/**
 * What a pnpm lockfile document says about names, whichever way it was read (line scanner,
 * YAML parser, JSON, or the in-memory object of a hook). Key lists keep the lockfile's order.
 */
export interface PnpmExtract {
  /** The `lockfileVersion` as written, `null` when absent. */
  version: string | null
  /** Importer (v13: project) directory → its dependencies. `null` when the section is absent. */
  importers: Map<string, ImporterDep[]> | null
  /** Extra names the document states outright (v13 projects' `name`). */
  importerNames: string[]
  /** Keys of `packages`, `null` when the section is absent. */
  packages: string[] | null
  /** Keys of `snapshots`, `null` when the section is absent. */
  snapshots: string[] | null
}

/**
 * Names and importer directories from an extract. With `checkConsistency` (for lockfile files), the
 * sections must agree the way pnpm writes them, which catches a file cut at a line boundary:
 * every snapshot belongs to a package, every package has a snapshot, and every non-`link:`
 * importer dependency points at a snapshot.
 */
export function namesFromExtract(extract: PnpmExtract, checkConsistency: boolean): NamesResult {
  if (extract.importers === null) return fail('no importers section')
  const names = new Set<string>(extract.importerNames)
  const importerDirs: string[] = []
  const importerDeps = new Map<string, string[]>()
  for (const [dir, deps] of extract.importers) {
    importerDirs.push(dir)
    importerDeps.set(dir, deps.map((dep) => dep.name))
    for (const dep of deps) {
      if (!isLoosePackageName(dep.name)) return fail(`malformed dependency name ${JSON.stringify(dep.name)} in importer ${dir}`)
      names.add(dep.name)
      const target = dep.version === null ? null : aliasTarget(dep.version)
      if (target !== null) names.add(target)
    }
  }
  if (checkConsistency) {
    const problem = inconsistency(extract.importers, extract)
    if (problem !== null) return fail(`inconsistent lockfile (truncated?): ${problem}`)
  }
  // Consistent snapshots name only packages already listed, so their keys need no second look.
  const keys = checkConsistency ? extract.packages ?? [] : [...extract.packages ?? [], ...extract.snapshots ?? []]
  let last: string | null = null
  for (const key of keys) {
    // Sorted keys come in runs of one name (`a@1.0.0`, `a@2.0.0`): a key that starts with the
    // last name and `@` has that name (a name holds no `@` after its first character).
    if (last !== null && key.charCodeAt(last.length) === 64 /* @ */ && key.startsWith(last)) continue
    const name = nameFromKey(key)
    if (name === null) return fail(`malformed package key ${JSON.stringify(key)}`)
    names.add(name)
    last = name
  }
  if (!importerDirs.includes('.')) importerDirs.unshift('.')
  return { ok: true, names, importerDirs, importerDeps }
}

function inconsistency(importers: Map<string, ImporterDep[]>, extract: PnpmExtract): string | null {
  const packages = extract.packages ?? []
  const snapshots = extract.snapshots ?? []
  // pnpm always writes the root importer (`.: {}` at least); a lost `.:` line moves its sections.
  if (!importers.has('.')) return 'no root importer "."'
  if (!snapshotsRunThroughPackages(packages, snapshots)) {
    const problem = unmatchedEntry(packages, snapshots)
    if (problem !== null) return problem
  }
  const hasSnapshot = snapshotLookup(snapshots)
  for (const [dir, deps] of importers) {
    for (const dep of deps) {
      if (dep.version === null) return `importer ${dir} dependency ${dep.name} has no version`
      if (dep.version.startsWith('link:')) continue
      const snapshot = aliasTarget(dep.version) === null ? `${dep.name}@${dep.version}` : dep.version
      if (!hasSnapshot(snapshot)) return `importer ${dir} dependency ${dep.name} points at missing ${snapshot}`
    }
  }
  return null
}

/**
 * The first snapshot without a package or package without a snapshot, or null. A snapshot's
 * package is its key up to the peer suffix (`a@1.0.0(b@2.0.0)` → `a@1.0.0`).
 */
function unmatchedEntry(packages: readonly string[], snapshots: readonly string[]): string | null {
  const packageSet = new Set(packages)
  const withSnapshot = new Set<string>()
  for (const key of snapshots) {
    const paren = key.indexOf('(')
    const base = paren === -1 ? key : key.slice(0, paren)
    if (!packageSet.has(base)) return `snapshot ${key} has no package entry`
    withSnapshot.add(base)
  }
  for (const key of packages) {
    if (!withSnapshot.has(key)) return `package ${key} has no snapshot`
  }
  return null
}

/**
 * True when the snapshots, in order, run through the packages in order, each package's snapshots
 * together: which is how pnpm writes both sections (sorted), and implies that
 * {@link unmatchedEntry} finds nothing, with no set and no key cut in two. False says nothing:
 * the sets decide then.
 */
function snapshotsRunThroughPackages(packages: readonly string[], snapshots: readonly string[]): boolean {
  let j = -1
  let current = ''
  for (const key of snapshots) {
    if (j >= 0 && isSnapshotOf(key, current)) continue
    if (++j >= packages.length) return false
    current = packages[j]
    if (current.includes('(') || !isSnapshotOf(key, current)) return false
  }
  return j === packages.length - 1
}

/** True when `pkg` (a key without `(`) is `key` up to its peer suffix. */
function isSnapshotOf(key: string, pkg: string): boolean {
  // Lengths and one character first: most calls compare a snapshot with a package it does not
  // belong to, and `startsWith` on keys sliced from the text costs more than either test (the
  // run-through check took ~40% less this way, side by side).
  return key.length === pkg.length ? key === pkg : key.charCodeAt(pkg.length) === 40 /* ( */ && key.startsWith(pkg)
}

/**
 * Membership in the snapshot keys: a binary search, exact whenever it finds the key, as it does
 * in the sorted section pnpm writes (UTF-16 code unit order here); a key it misses is looked up
 * in a set, built once, so keys in any order get the right answer.
 */
function snapshotLookup(snapshots: readonly string[]): (key: string) => boolean {
  let set: Set<string> | null = null
  return (key) => {
    let lo = 0
    let hi = snapshots.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const at = snapshots[mid]
      if (at === key) return true
      if (at < key) lo = mid + 1
      else hi = mid - 1
    }
    set ??= new Set(snapshots)
    return set.has(key)
  }
}

/**
 * An extract from a parsed lockfile document or hook object. Importer dependencies may be written
 * `name: version` (in-memory lockfile, v13) or `name: {specifier, version}` (lockfile file);
 * `projectsKey` names the importer section (`importers`, or `projects` in v13).
 */
export function extractFromObject(doc: unknown, projectsKey: 'importers' | 'projects'): PnpmExtract | string {
  if (!isRecord(doc)) return 'the lockfile document is not a mapping'
  const version = doc.lockfileVersion
  const extract: PnpmExtract = {
    version: typeof version === 'string' || typeof version === 'number' ? String(version) : null,
    importers: null,
    importerNames: [],
    packages: null,
    snapshots: null,
  }
  for (const section of ['packages', 'snapshots'] as const) {
    const value = doc[section]
    if (value === undefined) continue
    if (!isRecord(value)) return `${section} is not a mapping`
    for (const [key, entry] of Object.entries(value)) {
      if (!isRecord(entry)) return `${section} entry ${key} is not a mapping (truncated?)`
    }
    extract[section] = Object.keys(value)
  }
  const importers = doc[projectsKey]
  if (importers === undefined) return extract
  if (!isRecord(importers)) return `${projectsKey} is not a mapping`
  extract.importers = new Map()
  for (const [dir, importer] of Object.entries(importers)) {
    if (!isRecord(importer)) return `importer ${dir} is not a mapping (truncated?)`
    if (typeof importer.name === 'string') extract.importerNames.push(importer.name)
    // An importer has no version of its own: a dependency dedented out of its section twice.
    if ('specifier' in importer || 'version' in importer) return `importer ${dir} has a specifier or version of its own, a dependency outside any dependency section (damaged?)`
    const stray = strayDependency(importer)
    if (stray !== null) return `importer ${dir} has ${stray}, a dependency outside any dependency section (damaged?)`
    const deps = importerDeps(dir, importer)
    if (typeof deps === 'string') return deps
    extract.importers.set(dir, deps)
  }
  return extract
}

function importerDeps(dir: string, importer: Record<string, unknown>): ImporterDep[] | string {
  const deps: ImporterDep[] = []
  for (const field of IMPORTER_DEP_FIELDS) {
    const section = importer[field]
    if (section === undefined) continue
    if (!isRecord(section)) return `importer ${dir} ${field} is not a mapping`
    for (const [name, spec] of Object.entries(section)) {
      let version: unknown = spec
      if (isRecord(spec)) version = spec.version
      if (typeof version !== 'string') return `importer ${dir} dependency ${name} has no version`
      deps.push({ name, version })
    }
  }
  return deps
}

/**
 * The key of an entry shaped like a locked dependency (`{specifier, version}`) directly in an
 * importer, outside `dependencies`/`devDependencies`/`optionalDependencies`, or null. pnpm never
 * writes one; a lost section line (`    dependencies:`) leaves its entries there, where they
 * would be skipped.
 */
export function strayDependency(importer: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(importer)) {
    if (!IMPORTER_DEP_FIELDS.has(key) && isRecord(value) && 'specifier' in value && 'version' in value) return key
  }
  return null
}
