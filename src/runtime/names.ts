import { ScratchError } from '../errors'

const KEY = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/
// npm's rules for new package names: lowercase, URL-safe, ≤ 214 chars, optional @scope/.
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/

/** Owner name of the namespace shared by every package (`<root>/_global`); no npm name can start with `_`. */
export const GLOBAL_OWNER = '_global'

/**
 * Throws `ERR_SCRATCH_INVALID_KEY` unless `key` is one safe path segment:
 * `^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$` without the `m` flag, so a trailing newline is refused too.
 */
export function assertKey(key: unknown): asserts key is string {
  if (typeof key === 'string' && KEY.test(key)) return
  throw new ScratchError('ERR_SCRATCH_INVALID_KEY', `Invalid scratch space key ${JSON.stringify(key)}`, {
    hint: 'A key is 1-128 characters of A-Z a-z 0-9 . _ - and must not start with a dot or a dash.',
  })
}

/** True when `key` is a valid space key (the rule {@link assertKey} enforces). */
export function isKey(key: unknown): key is string {
  return typeof key === 'string' && KEY.test(key)
}

/**
 * True when `name` is a valid npm package name (lowercase, ≤ 214 characters, optional `@scope/`):
 * the strict check, for owners of spaces and records. What the lockfile readers accept from a
 * lockfile is the loose `isLoosePackageName` of `src/lockfiles/names.ts` (old packages break
 * today's rules).
 */
export function isPackageName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 214 && PACKAGE_NAME.test(name)
}

/** Throws `ERR_SCRATCH_INVALID_OWNER` unless `name` is a valid npm package name. */
export function assertOwnerName(name: unknown, source?: string): asserts name is string {
  if (isPackageName(name)) return
  const where = source === undefined ? '' : ` (from ${source})`
  throw new ScratchError('ERR_SCRATCH_INVALID_OWNER', `Invalid owner package name ${JSON.stringify(name)}${where}`, {
    hint: 'An owner is a valid npm package name: lowercase, at most 214 characters, optionally @scope/name.',
  })
}

const VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/

/**
 * A version-specific space name: `versionedKey('data', '1.4.2')` → `'data-1.4'`.
 * `granularity` picks how much of the version separates spaces (default `'minor'`);
 * prerelease and build parts are dropped. A non-semver version → `ERR_SCRATCH_INVALID_VERSION`.
 */
export function versionedKey(key: string, version: string, granularity: 'major' | 'minor' | 'patch' = 'minor'): string {
  assertKey(key)
  const match = typeof version === 'string' ? VERSION.exec(version.trim()) : null
  if (match === null) {
    throw new ScratchError('ERR_SCRATCH_INVALID_VERSION', `Invalid version ${JSON.stringify(version)} for key ${JSON.stringify(key)}`, {
      hint: 'Pass a semver version such as 1.4.2 (for example the version field of your package.json).',
    })
  }
  if (!['major', 'minor', 'patch'].includes(granularity)) {
    throw new ScratchError('ERR_SCRATCH_INVALID_VERSION', `Invalid granularity ${JSON.stringify(granularity)}`, {
      hint: "Use 'major', 'minor' or 'patch'.",
    })
  }
  const parts = granularity === 'major' ? [match[1]] : granularity === 'patch' ? [match[1], match[2], match[3]] : [match[1], match[2]]
  const result = `${key}-${parts.join('.')}`
  assertKey(result)
  return result
}
