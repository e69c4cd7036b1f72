import { parseJsonc } from './jsonc'
import { aliasTarget, isLoosePackageName, nameFromKey } from './names'
import { fail, isRecord, type NamesResult } from './types'

/** Why `bun.lockb` is never read. */
export const BUN_BINARY_REASON = 'binary bun.lockb is not readable; run bun with text lockfile'

const SUPPORTED_VERSIONS = new Set([0, 1, 2])
const WORKSPACE_DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']

/**
 * Names from a text `bun.lock` (JSONC with trailing commas, `lockfileVersion` 0–2).
 *
 * - `packages`: the key is an install path (`my-odd`, `my-odd/is-number`, `@s/a/@s/b`) whose last
 *   segment is the installed name (an alias for aliased installs); `value[0]` is
 *   `realname@version`.
 * - `workspaces`: keys are importer directories (`""` is the root, reported as `'.'`); each
 *   workspace's `name` and dependency keys (and `npm:` alias targets) are names too.
 *
 * Binary content (bun's older `bun.lockb` format) fails with {@link BUN_BINARY_REASON}.
 */
export function parseBunLockfile(text: string): NamesResult {
  if (text.startsWith('#!') || text.includes('\u0000')) return fail(BUN_BINARY_REASON)
  const parsed = parseJsonc(text)
  if ('error' in parsed) return fail(parsed.error)
  const lock = parsed.value
  if (!isRecord(lock)) return fail('the lockfile is not a JSON object')
  if (typeof lock.lockfileVersion !== 'number' || !SUPPORTED_VERSIONS.has(lock.lockfileVersion)) {
    return fail(`unsupported lockfileVersion ${String(lock.lockfileVersion)}`)
  }
  if (!isRecord(lock.workspaces)) return fail('no workspaces map')
  if (!isRecord(lock.packages)) return fail('no packages map')

  const names = new Set<string>()
  const importerDirs: string[] = []
  for (const [dir, workspace] of Object.entries(lock.workspaces)) {
    if (!isRecord(workspace)) return fail(`workspace ${JSON.stringify(dir)} is not an object`)
    importerDirs.push(dir === '' ? '.' : dir)
    if (typeof workspace.name === 'string') names.add(workspace.name)
    for (const field of WORKSPACE_DEP_FIELDS) {
      const deps = workspace[field]
      if (deps === undefined) continue
      if (!isRecord(deps)) return fail(`workspace ${JSON.stringify(dir)} ${field} is not an object`)
      for (const [name, spec] of Object.entries(deps)) {
        if (!isLoosePackageName(name)) return fail(`malformed dependency name ${JSON.stringify(name)}`)
        names.add(name)
        const target = typeof spec === 'string' && spec.startsWith('npm:') ? aliasTarget(spec) : null
        if (target !== null) names.add(target)
      }
    }
  }
  for (const [location, entry] of Object.entries(lock.packages)) {
    const installed = lastSegment(location)
    if (installed === null) return fail(`malformed package path ${JSON.stringify(location)}`)
    const real = Array.isArray(entry) && typeof entry[0] === 'string' ? nameFromKey(entry[0]) : null
    if (real === null) return fail(`package ${JSON.stringify(location)} has no name@version`)
    names.add(installed)
    names.add(real)
  }
  if (!importerDirs.includes('.')) importerDirs.unshift('.')
  return { ok: true, names, importerDirs }
}

/** The installed name at the end of an install path; scoped names take two segments. */
function lastSegment(location: string): string | null {
  const parts = location.split('/')
  const last = parts.length >= 2 && parts[parts.length - 2].startsWith('@')
    ? parts.slice(-2).join('/')
    : parts[parts.length - 1]
  return isLoosePackageName(last) ? last : null
}
