import fs from 'node:fs'
import path from 'node:path'

import { isErrno } from '../errors'
import { LOCKFILE_KINDS, LOCKFILE_FILES } from './kinds'
import type { LockfileKind } from './types'

export { LOCKFILE_FILES }

const HIDDEN_LOCKFILE = LOCKFILE_KINDS['npm-hidden'].files[0]

const KIND_BY_BASENAME: ReadonlyMap<string, LockfileKind> = new Map(
  (Object.entries(LOCKFILE_KINDS) as Array<[LockfileKind, { files: readonly string[] }]>)
    .flatMap(([kind, info]) => info.files.map((file): [string, LockfileKind] => [path.posix.basename(file), kind])),
)

/**
 * The lockfile kind a file name stands for, from its base name alone (`.package-lock.json` is
 * `npm-hidden` wherever it sits), or `null` for a name that is not a lockfile.
 */
export function kindFromFileName(file: string): LockfileKind | null {
  return KIND_BY_BASENAME.get(path.basename(file)) ?? null
}

/**
 * Absolute paths of the lockfiles present in `projectDir`, in {@link LOCKFILE_FILES} order.
 * "Present" means a directory entry with that name exists, whatever its type: a lockfile that is
 * a directory or a dangling symlink is listed, so that reading it fails and the project counts as
 * unknown rather than lockfile-less.
 *
 * Costs one `readdir` plus, when `node_modules` exists, one `lstat`. A missing project directory
 * (`ENOENT`, `ENOTDIR`) gives `[]`; any other error (e.g. `EACCES`) is thrown.
 */
export function lockfilesIn(projectDir: string): string[] {
  const dir = path.resolve(projectDir)
  let entries: Set<string>
  try {
    entries = new Set(fs.readdirSync(dir))
  } catch (err) {
    if (isMissing(err)) return []
    throw err
  }
  const found: string[] = []
  for (const name of LOCKFILE_FILES) {
    if (name === HIDDEN_LOCKFILE) {
      if (entries.has('node_modules') && entryExists(path.join(dir, name))) found.push(path.join(dir, name))
    } else if (entries.has(name)) {
      found.push(path.join(dir, name))
    }
  }
  return found
}

function entryExists(file: string): boolean {
  try {
    fs.lstatSync(file)
    return true
  } catch (err) {
    if (isMissing(err)) return false
    throw err
  }
}

function isMissing(err: unknown): boolean {
  return isErrno(err, 'ENOENT', 'ENOTDIR')
}
