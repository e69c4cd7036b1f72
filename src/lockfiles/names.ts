/**
 * The name rules every reader shares. A lockfile key `name@version(peers)` names the package up to
 * the first `@` after position 0 (`@types/node@20.11.0(x@1)` → `@types/node`).
 */

const SEGMENT = String.raw`[^\s/@:()'"]+`
const PACKAGE_NAME = new RegExp(`^(?:@${SEGMENT}/)?${SEGMENT}$`)
const ALIAS_TARGET = new RegExp(`^(?:npm:)?((?:@${SEGMENT}/)?${SEGMENT})@`)

/**
 * True for strings shaped like an npm package name: `name` or `@scope/name`, no whitespace, no
 * `@`, `:` or parentheses inside. Deliberately looser than npm's publish rules (old packages have
 * upper case and other oddities), strict enough to reject a key cut in half. The strict check,
 * for space owners, is `isPackageName` of `src/runtime/names.ts`.
 */
export function isLoosePackageName(name: string): boolean {
  return PACKAGE_NAME.test(name)
}

/**
 * The package name of a `name@version…` key, or `null` when the key has no version part or the
 * part before it is not a package name.
 */
export function nameFromKey(key: string): string | null {
  const at = key.indexOf('@', 1)
  if (at === -1) return null
  const name = key.slice(0, at)
  return isLoosePackageName(name) ? name : null
}

/**
 * The real package name behind an alias-shaped version or specifier: `is-odd@0.1.2`,
 * `npm:is-odd@^0.1.2`, `@scope/x@1.0.0(peer@1)`. Returns `null` for anything else (plain
 * versions such as `1.0.0(react@18.3.1)`, `link:`/`file:`/`workspace:` specifiers, URLs).
 */
export function aliasTarget(version: string): string | null {
  const m = ALIAS_TARGET.exec(version)
  return m === null ? null : m[1]
}

/**
 * The package name of a dependency descriptor `name@range` as yarn writes it
 * (`my-odd@npm:is-odd@0.1.2`, `"@scope/x@^1.0.0"`), plus the aliased name when the range is
 * `npm:<name>@…`. Returns `null` when the descriptor has no name.
 */
export function namesFromDescriptor(descriptor: string): string[] | null {
  const name = nameFromKey(descriptor)
  if (name === null) return null
  const target = aliasTarget(descriptor.slice(name.length + 1))
  return target === null || target === name ? [name] : [name, target]
}

/**
 * True when a yarn dependency range records the package it installs: a registry range or tag,
 * an `npm:` alias (which names its target), `workspace:`, or a patch of such a range. A tarball
 * URL, git, `file:`, `link:`, `portal:` or `exec:` range records only a location, so the name in
 * front of it may be an alias for a package of another name.
 */
export function rangeRecordsName(range: string): boolean {
  if (range.startsWith('npm:') || range.startsWith('workspace:')) return true
  if (range.startsWith('patch:')) {
    const inner = decodeURIComponentSafe(range.slice('patch:'.length).split('#')[0])
    const name = inner === null ? null : nameFromKey(inner)
    return name !== null && rangeRecordsName(inner!.slice(name.length + 1))
  }
  return !/[:/]/.test(range)
}

function decodeURIComponentSafe(text: string): string | null {
  try {
    return decodeURIComponent(text)
  } catch {
    return null
  }
}
