import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { trashDir } from './layout'

/**
 * Bytes under `target` counted with `lstat`: links count as themselves and are never followed,
 * so a link to something outside the store adds only its own size. Vanishing entries count 0.
 * `stat`, when given, is an `lstat` of `target` the caller already made. Directories are told
 * apart by the directory listing's entry types (which never follow links), so only
 * non-directories are `lstat`ed.
 */
export function treeBytes(target: string, stat?: fs.Stats): number {
  if (stat === undefined) {
    try {
      stat = fs.lstatSync(target)
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR')) return 0
      throw err
    }
  }
  return stat.isDirectory() ? dirBytes(target) : stat.size
}

function dirBytes(dir: string): number {
  let entries: fs.Dirent[]
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true })
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return 0
    throw err
  }
  let total = 0
  for (const entry of entries) {
    const child = path.join(dir, entry.name)
    total += entry.isDirectory() ? dirBytes(child) : treeBytes(child)
  }
  return total
}

/** A unique name for something moved aside, sortable by time. */
export function asideName(base: string): string {
  return `${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 10)}-${base}`
}

/**
 * Moves `target` out of sight in one rename (into the store's trash, or next to itself when the
 * trash is on another filesystem), so it is either whole or gone. Returns where it went, or
 * null when `target` did not exist. Never follows a link: a linked space moves as the link.
 */
export function moveToTrash(root: string, target: string): string | null {
  // Nothing to move: do not create the trash (nor the store) for it, which also fails in a read-only store.
  try {
    fs.lstatSync(target)
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return null
    throw err
  }
  const trash = trashDir(root)
  const name = asideName(path.basename(target))
  let dest = path.join(trash, name)
  try {
    fs.mkdirSync(trash, { recursive: true, mode: 0o700 })
    fs.renameSync(target, dest)
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null
    if (!isErrno(err, 'EXDEV')) throw err
    dest = path.join(path.dirname(target), `.trash-${name}`)
    try {
      fs.renameSync(target, dest)
    } catch (inner) {
      if (isErrno(inner, 'ENOENT')) return null
      throw inner
    }
  }
  return dest
}

/**
 * Removes a tree that is already out of sight. Read-only directories (extracted archives) are
 * made writable and retried once. Throws when the tree cannot be removed; it stays in the trash
 * and the next gc retries.
 */
export function removeTrashed(trashed: string): void {
  try {
    fs.rmSync(trashed, { recursive: true, force: true, maxRetries: 2 })
  } catch (err) {
    if (!isErrno(err, 'EACCES', 'EPERM')) throw err
    makeWritable(trashed)
    fs.rmSync(trashed, { recursive: true, force: true, maxRetries: 2 })
  }
}

function makeWritable(dir: string): void {
  const stat = fs.lstatSync(dir)
  if (!stat.isDirectory()) return
  fs.chmodSync(dir, stat.mode | 0o700)
  for (const name of fs.readdirSync(dir)) makeWritable(path.join(dir, name))
}

/**
 * Removes the space at `target`: rename away, then delete. Returns false when there was nothing.
 * Also removes the namespace directories the deletion left empty, tolerating a concurrent create.
 */
export function removeSpace(root: string, target: string): boolean {
  const trashed = moveToTrash(root, target)
  if (trashed === null) return false
  try {
    removeTrashed(trashed)
  } catch (err) {
    // Out of sight already; the next gc empties the trash.
    if (!isErrno(err, 'EACCES', 'EPERM', 'EBUSY', 'ENOTEMPTY')) throw err
  }
  pruneEmptyParents(root, path.dirname(target))
  return true
}

/** Removes `dir` and its parents up to (not including) `root` while they are empty. */
export function pruneEmptyParents(root: string, dir: string): void {
  let current = dir
  while (current.length > root.length && current.startsWith(root + path.sep)) {
    try {
      fs.rmdirSync(current)
    } catch (err) {
      if (isErrno(err, 'ENOTEMPTY', 'EEXIST', 'ENOENT', 'EACCES', 'EPERM', 'EBUSY')) return
      throw err
    }
    current = path.dirname(current)
  }
}
