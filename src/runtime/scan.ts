import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { parseSpaceId } from './layout'
import { GLOBAL_OWNER, isKey, isPackageName } from './names'


/** A space found on disk. `owner` is null for the global namespace. */
export interface SpaceEntry {
  owner: string | null
  key: string
  path: string
  /** True when the space itself is a symbolic link (never followed). */
  isLink: boolean
}

/**
 * Every `<owner>/<key>` space under `root` (scoped owners are `@scope/name/<key>`), sorted by
 * owner then key. Only names this package could have created count: owner directories with a
 * valid npm name (or `_global`), keys matching the key rule. Symlinked owner directories are
 * not entered, so nothing outside the store is ever listed. A missing root lists nothing.
 * `others` is told every other entry of a namespace (the full gc looks there for leftovers of
 * killed writers, so the store is listed once: docs/design.md, "The warm gc").
 */
export function scanSpaces(root: string, onlyOwner?: string | null, others?: (namespace: string, name: string) => void): SpaceEntry[] {
  const spaces: SpaceEntry[] = []
  // In `<owner>/<key>` order without building that string twice per comparison (10⁵ times at
  // 10,000 spaces): namespaces by `<owner>/`, none of which begins another, then each one's keys.
  const dirs = ownerDirs(root, onlyOwner).map((dir) => ({ ...dir, at: `${dir.owner ?? ''}/` })).sort((a, b) => (a.at < b.at ? -1 : 1))
  for (const ownerDir of dirs) {
    if (onlyOwner !== undefined && ownerDir.owner !== onlyOwner) continue
    const found: SpaceEntry[] = []
    for (const entry of readDirOrEmpty(ownerDir.path)) {
      if (isKey(entry.name) && (entry.isDirectory() || entry.isSymbolicLink())) {
        // A key is one segment that cannot be `.` or `..`: joined without path.join's normalising (10⁴ calls).
        found.push({ owner: ownerDir.owner, key: entry.name, path: ownerDir.path + path.sep + entry.name, isLink: entry.isSymbolicLink() })
      } else others?.(ownerDir.path, entry.name)
    }
    for (const space of found.sort((a, b) => (a.key < b.key ? -1 : 1))) spaces.push(space)
  }
  return spaces
}

/**
 * The space `id` (`<owner>/<key>`, as access records name it) as found on disk, or null when the
 * id is not exactly that, or the space does not exist, or a namespace directory on its way is
 * not a real directory (a link planted there leads outside the store and is never entered).
 */
export function spaceAt(root: string, id: string): SpaceEntry | null {
  const parsed = parseSpaceId(id)
  if (parsed === null) return null
  const parts = (parsed.owner ?? GLOBAL_OWNER).split('/')
  let dir = root
  for (const part of parts) {
    dir = path.join(dir, part)
    if (lstatOrNull(dir)?.isDirectory() !== true) return null
  }
  const spacePath = path.join(dir, parsed.key)
  const stat = lstatOrNull(spacePath)
  if (stat === null || (!stat.isDirectory() && !stat.isSymbolicLink())) return null
  return { owner: parsed.owner, key: parsed.key, path: spacePath, isLink: stat.isSymbolicLink() }
}

function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file)
  } catch (err) {
    if (isErrno(err)) return null
    throw err
  }
}

/**
 * The namespace directories under `root` as `{ owner, path }`, `owner` null for `_global`. With
 * `only`, at least that owner's (if it exists) and no other scope is listed: the install-time
 * sweep looks for one or two owners in a store of thousands, and listing every scope directory
 * was most of its scan. The names still come from listings, never from a path guessed and
 * stat'ed, which a case-insensitive file system would answer for another owner's directory.
 */
export function ownerDirs(root: string, only?: string | null): { owner: string | null; path: string }[] {
  const result: { owner: string | null; path: string }[] = []
  const onlyScope = only === undefined ? undefined : only?.startsWith('@') === true ? only.slice(0, only.indexOf('/')) : null
  for (const entry of readDirOrEmpty(root, true)) {
    if (!entry.isDirectory()) continue
    // Another scope or unscoped owner is not asked for: skipped before its name is checked (thousands of them).
    if (only !== undefined && entry.name !== GLOBAL_OWNER && entry.name !== (entry.name.startsWith('@') ? onlyScope : only)) continue
    if (entry.name === GLOBAL_OWNER) {
      result.push({ owner: null, path: path.join(root, entry.name) })
    } else if (entry.name.startsWith('@')) {
      const scopeDir = path.join(root, entry.name)
      for (const inner of readDirOrEmpty(scopeDir)) {
        const name = `${entry.name}/${inner.name}`
        if (inner.isDirectory() && isPackageName(name)) result.push({ owner: name, path: path.join(scopeDir, inner.name) })
      }
    } else if (isPackageName(entry.name)) {
      result.push({ owner: entry.name, path: path.join(root, entry.name) })
    }
  }
  return result
}

/**
 * The entries of `dir`; none when it is missing. Below the root, a directory that cannot be read
 * (EACCES, a vanished `/proc` entry, EIO) lists nothing rather than aborting the scan: it holds
 * no space this package could use anyway.
 */
function readDirOrEmpty(dir: string, isRoot = false): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true })
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR') || (!isRoot && isErrno(err))) return []
    throw err
  }
}
