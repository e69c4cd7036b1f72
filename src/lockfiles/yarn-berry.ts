import { nameFromKey, namesFromDescriptor, rangeRecordsName } from './names'
import { fail, isRecord, type NamesResult, type UnresolvedDep } from './types'
import { parseYamlDocuments } from './yaml'
import { scanBerryLockfile, type BerryEntry } from './yarn-berry-scan'

const WORKSPACE = 'workspace:'

/**
 * Names from a yarn 2+ (berry) `yarn.lock`, which is YAML with a `__metadata` entry. Each entry's
 * `resolution` (`is-odd@npm:0.1.2`) gives the real name; its key's descriptors
 * (`my-odd@npm:is-odd@0.1.2, …`) add aliases. Workspace entries (`name@workspace:path`) give
 * the importer directories. A resolution that records only a location (tarball URL, git,
 * `file:`, `link:`, `portal:`) is listed in `unresolved`: the name in front of it may be an alias.
 *
 * Every entry must be a mapping with a `resolution`, and the file must end with a newline, so a
 * cut inside an entry fails; every name an entry's `dependencies` / `optionalDependencies` refer
 * to must have an entry, so a cut between entries that drops a dependency fails too (the
 * workspace entries list the direct dependencies).
 *
 * The line scanner (`scanBerryLockfile`) reads what yarn writes; anything else goes to the YAML
 * parser, whose verdict is final.
 */
export function parseYarnBerryLockfile(text: string): NamesResult {
  if (!text.endsWith('\n')) return fail('truncated: the file does not end with a newline')
  const scanned = scanBerryLockfile(text)
  if (scanned !== null) return namesFromEntries(scanned.hasMetadata, scanned.entries)
  return parseYarnBerryLockfileSlow(text)
}

/** The YAML-parser path of {@link parseYarnBerryLockfile}; exported for differential tests. */
export function parseYarnBerryLockfileSlow(text: string): NamesResult {
  if (!text.endsWith('\n')) return fail('truncated: the file does not end with a newline')
  const parsed = parseYamlDocuments(text)
  if ('error' in parsed) return fail(parsed.error)
  if (parsed.docs.length !== 1) return fail(`expected one YAML document, found ${parsed.docs.length}`)
  const lock = parsed.docs[0]
  if (!isRecord(lock) || !isRecord(lock.__metadata)) return fail('not a yarn lockfile: no __metadata')
  const entries: BerryEntry[] = []
  for (const [key, entry] of Object.entries(lock)) {
    if (key === '__metadata') continue
    if (!isRecord(entry)) return fail(`entry ${JSON.stringify(key)} has no resolution (truncated?)`)
    let dependencies: string[] | null = []
    for (const field of ['dependencies', 'optionalDependencies']) {
      if (entry[field] === undefined) continue
      if (!isRecord(entry[field])) dependencies = null
      else dependencies?.push(...Object.keys(entry[field]))
    }
    entries.push({ key, resolution: entry.resolution, dependencies })
  }
  return namesFromEntries(true, entries)
}

function namesFromEntries(hasMetadata: boolean, entries: BerryEntry[]): NamesResult {
  if (!hasMetadata) return fail('not a yarn lockfile: no __metadata')
  const names = new Set<string>()
  const required = new Set<string>()
  const importerDirs = new Set<string>(['.'])
  const unresolved: UnresolvedDep[] = []
  for (const { key, resolution, dependencies } of entries) {
    if (typeof resolution !== 'string') return fail(`entry ${JSON.stringify(key)} has no resolution (truncated?)`)
    for (const descriptor of [resolution, ...key.split(', ')]) {
      const found = namesFromDescriptor(descriptor)
      if (found === null) return fail(`malformed descriptor ${JSON.stringify(descriptor)}`)
      for (const name of found) names.add(name)
    }
    const ident = nameFromKey(resolution)!
    const range = resolution.slice(ident.length + 1)
    if (range.startsWith(WORKSPACE)) importerDirs.add(range.slice(WORKSPACE.length))
    else if (!rangeRecordsName(range)) unresolved.push({ alias: ident, specifier: range })
    if (dependencies === null) return fail(`entry ${JSON.stringify(key)} dependencies is not a map`)
    for (const name of dependencies) required.add(name)
  }
  for (const name of required) if (!names.has(name)) return fail(`inconsistent lockfile (truncated?): ${name} is a dependency but has no entry`)
  return { ok: true, names, importerDirs: [...importerDirs], unresolved }
}
