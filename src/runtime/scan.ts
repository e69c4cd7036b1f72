import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { GLOBAL_OWNER, isPackageName } from './names'

const KEY = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/

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
 */
export function scanSpaces(root: string, onlyOwner?: string | null): SpaceEntry[] {
  const spaces: SpaceEntry[] = []
  for (const ownerDir of ownerDirs(root)) {
    if (onlyOwner !== undefined && ownerDir.owner !== onlyOwner) continue
    for (const entry of readDirOrEmpty(ownerDir.path)) {
      if (!KEY.test(entry.name)) continue
      if (!entry.isDirectory() && !entry.isSymbolicLink()) continue
      spaces.push({ owner: ownerDir.owner, key: entry.name, path: path.join(ownerDir.path, entry.name), isLink: entry.isSymbolicLink() })
    }
  }
  return spaces.sort((a, b) => ((a.owner ?? '') + '/' + a.key < (b.owner ?? '') + '/' + b.key ? -1 : 1))
}

/** The namespace directories under `root` as `{ owner, path }`, `owner` null for `_global`. */
export function ownerDirs(root: string): { owner: string | null; path: string }[] {
  const result: { owner: string | null; path: string }[] = []
  for (const entry of readDirOrEmpty(root)) {
    if (!entry.isDirectory()) continue
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

function readDirOrEmpty(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true })
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return []
    throw err
  }
}
