import { aliasTarget, isLoosePackageName } from './names'
import { fail, isRecord, jsonObject, type NamesResult } from './types'

const NODE_MODULES = 'node_modules/'

/**
 * Names from npm's `package-lock.json` / `npm-shrinkwrap.json` (`lockfileVersion` 1, 2 or 3) or
 * its hidden lockfile `node_modules/.package-lock.json` (`hidden`: 2 or 3, no root entry needed).
 *
 * - `packages` (v2, v3): an entry at `…node_modules/<name>` names `<name>` (the alias, for an
 *   aliased install); an entry's `name` field names the real package. Keys outside any
 *   `node_modules` are folders npm links to (workspace members, `file:` directories) and become
 *   importer directories.
 * - `dependencies` (v1, and v2's copy of it), nested: each key is a name, a `npm:<name>@…`
 *   version adds the real name.
 */
export function parseNpmLockfile(text: string, hidden: boolean): NamesResult {
  const read = jsonObject(text)
  if (!read.ok) return read
  const lock = read.value
  const version = lock.lockfileVersion
  if (version !== 1 && version !== 2 && version !== 3) return fail(`unsupported lockfileVersion ${String(version)}`)
  if (hidden && version === 1) return fail('unsupported lockfileVersion 1 for a hidden lockfile')

  const names = new Set<string>()
  const importerDirs = ['.']
  if (version >= 2 || lock.packages !== undefined) {
    if (!isRecord(lock.packages)) return fail('no packages map')
    const problem = readPackages(lock.packages, names, importerDirs)
    if (problem !== null) return fail(problem)
  }
  if (lock.dependencies !== undefined) {
    if (!isRecord(lock.dependencies)) return fail('dependencies is not a map')
    const problem = readDependencies(lock.dependencies, names)
    if (problem !== null) return fail(problem)
  }
  return { ok: true, names, importerDirs }
}

function readPackages(packages: Record<string, unknown>, names: Set<string>, importerDirs: string[]): string | null {
  for (const [location, entry] of Object.entries(packages)) {
    if (!isRecord(entry)) return `packages entry ${JSON.stringify(location)} is not an object`
    if (location !== '') {
      const at = location.lastIndexOf(NODE_MODULES)
      if (at === -1 || (at > 0 && location[at - 1] !== '/')) {
        importerDirs.push(location)
      } else {
        const installed = location.slice(at + NODE_MODULES.length)
        if (!isLoosePackageName(installed)) return `malformed install path ${JSON.stringify(location)}`
        names.add(installed)
      }
    }
    if (entry.name !== undefined) {
      if (typeof entry.name !== 'string' || !isLoosePackageName(entry.name)) {
        return `malformed name in packages entry ${JSON.stringify(location)}`
      }
      names.add(entry.name)
    }
  }
  return null
}

function readDependencies(dependencies: Record<string, unknown>, names: Set<string>): string | null {
  for (const [name, entry] of Object.entries(dependencies)) {
    if (!isLoosePackageName(name)) return `malformed dependency name ${JSON.stringify(name)}`
    if (!isRecord(entry) || typeof entry.version !== 'string') return `dependency ${name} has no version`
    names.add(name)
    if (entry.version.startsWith('npm:')) {
      const target = aliasTarget(entry.version)
      if (target === null) return `malformed alias ${JSON.stringify(entry.version)} of ${name}`
      names.add(target)
    }
    if (entry.dependencies !== undefined) {
      if (!isRecord(entry.dependencies)) return `dependencies of ${name} is not a map`
      const problem = readDependencies(entry.dependencies, names)
      if (problem !== null) return problem
    }
  }
  return null
}
