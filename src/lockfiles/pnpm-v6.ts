import { IMPORTER_DEP_FIELDS, strayDependency } from './pnpm-extract'
import { isLoosePackageName, nameFromKey } from './names'
import { fail, isRecord, type NamesResult } from './types'

/**
 * Names from a `pnpm-lock.yaml` with `lockfileVersion: '6.0'` or `'6.1'` (pnpm 8), as parsed YAML.
 *
 * - `packages` keys are `/name@version(peers)` for registry packages (`/name/version` in the
 *   older 5.x form is read too); other keys (`file:…`, git hosts, tarball URLs) carry the real
 *   name in the entry's `name` field, and one without it is refused, never guessed.
 * - importers (`importers`, or the top-level dependency sections of a single project) map each
 *   dependency to `{ specifier, version }`; an aliased version is the package key (`/slash@3.0.0`).
 *
 * Like the v9 reader it checks that the sections agree — every non-`link:` dependency of an
 * importer or a package points at a package entry, and a file with no section at all is
 * refused — so a file cut at a line boundary is reported.
 */
export function namesFromV6(doc: Record<string, unknown>): NamesResult {
  const packages = doc.packages ?? {}
  if (!isRecord(packages)) return fail('packages is not a mapping')
  // A file cut before its first section reads as an empty project; pnpm always writes one of these.
  if (doc.importers === undefined && doc.packages === undefined && !IMPORTER_DEP_KEYS.some((field) => doc[field] !== undefined)) {
    return fail('no importers, dependencies or packages (truncated?)')
  }
  const names = new Set<string>()
  for (const [key, entry] of Object.entries(packages)) {
    if (!isRecord(entry)) return fail(`packages entry ${key} is not a mapping (truncated?)`)
    const name = key.startsWith('/') ? nameOfPath(key.slice(1)) : typeof entry.name === 'string' && isLoosePackageName(entry.name) ? entry.name : null
    if (name === null) return fail(`malformed package key ${JSON.stringify(key)}`)
    names.add(name)
    // Every package is reachable from an importer, so a cut that drops entries leaves a dangling reference.
    for (const field of ['dependencies', 'optionalDependencies']) {
      const deps = entry[field]
      if (deps === undefined) continue
      if (!isRecord(deps)) return fail(`packages entry ${key} ${field} is not a mapping`)
      for (const [dep, version] of Object.entries(deps)) {
        const target = typeof version === 'string' ? packageKeyOf(dep, version) : `${dep}: not a version`
        if (target !== null && !Object.hasOwn(packages, target)) return fail(`inconsistent lockfile (truncated?): ${key} depends on missing ${target}`)
      }
    }
  }
  // A lost section line moves entries under a neighbouring section, where they would be skipped.
  if (doc.importers === undefined && Object.hasOwn(doc, '.')) return fail('inconsistent lockfile (truncated?): an importer outside importers')
  for (const [key, section] of Object.entries(doc)) {
    const stray = key === 'packages' || key === 'importers' || IMPORTER_DEP_FIELDS.has(key) || !isRecord(section) ? null : strayEntry(section)
    if (stray !== null) return fail(`${key} has ${stray}, a dependency or importer outside its section (damaged?)`)
  }
  const importers = doc.importers === undefined ? { '.': doc } : doc.importers
  if (!isRecord(importers)) return fail('importers is not a mapping')
  if (!Object.hasOwn(importers, '.')) return fail('inconsistent lockfile (truncated?): no root importer "."')
  const importerDirs: string[] = []
  const importerDeps = new Map<string, string[]>()
  for (const [dir, importer] of Object.entries(importers)) {
    if (!isRecord(importer)) return fail(`importer ${dir} is not a mapping (truncated?)`)
    const stray = strayDependency(importer)
    if (stray !== null) return fail(`importer ${dir} has ${stray}, a dependency outside any dependency section (damaged?)`)
    importerDirs.push(dir)
    const deps: string[] = []
    for (const field of IMPORTER_DEP_FIELDS) {
      const section = importer[field]
      if (section === undefined) continue
      if (!isRecord(section)) return fail(`importer ${dir} ${field} is not a mapping`)
      for (const [dep, spec] of Object.entries(section)) {
        const version = isRecord(spec) ? spec.version : spec
        if (!isLoosePackageName(dep) || typeof version !== 'string') return fail(`importer ${dir} dependency ${dep} has no version`)
        deps.push(dep)
        names.add(dep)
        const target = packageKeyOf(dep, version)
        if (target === null) continue
        if (!Object.hasOwn(packages, target)) return fail(`inconsistent lockfile (truncated?): importer ${dir} dependency ${dep} points at missing ${target}`)
        if (target.startsWith('/')) names.add(nameOfPath(target.slice(1))!)
      }
    }
    importerDeps.set(dir, deps)
  }
  if (!importerDirs.includes('.')) importerDirs.unshift('.')
  return { ok: true, names, importerDirs, importerDeps }
}

const IMPORTER_DEP_KEYS = [...IMPORTER_DEP_FIELDS]

/** The key of an entry of `section` shaped like a locked dependency or like an importer, or null. */
function strayEntry(section: Record<string, unknown>): string | null {
  const dependency = strayDependency(section)
  if (dependency !== null) return dependency
  for (const [key, value] of Object.entries(section)) {
    if (isRecord(value) && IMPORTER_DEP_KEYS.some((field) => isRecord(value[field]))) return key
  }
  return null
}

/** `name@version(peers)` or `name/version_peers` → name; null when neither shape. */
function nameOfPath(path: string): string | null {
  const byAt = nameFromKey(path)
  if (byAt !== null) return byAt
  const segments = path.split('/')
  const name = segments[0].startsWith('@') ? segments.slice(0, 2).join('/') : segments[0]
  return segments.length > name.split('/').length && isLoosePackageName(name) ? name : null
}

/** The `packages` key an importer dependency's version points at; null for `link:` (a directory). */
function packageKeyOf(name: string, version: string): string | null {
  if (version.startsWith('link:')) return null
  const base = version.split('(')[0]
  if (version.startsWith('/') || base.includes(':') || base.includes('/')) return version
  return `/${name}@${version}`
}
