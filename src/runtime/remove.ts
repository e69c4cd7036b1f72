import fs from 'node:fs'
import path from 'node:path'
import { ScratchError, isErrno } from '../errors'
import { asideName } from './aside'
import { bookkeepingDir, trashDir } from './layout'
import { NOT_WRITABLE_ERRNOS } from './store-root'
import { removeTree } from './tree-remove'

export { asideName } from './aside'

/**
 * The directories between `root` (exclusive) and `target` (exclusive) that are not real
 * directories: a namespace replaced by a link would make every path below it point out of the
 * store. Empty when the way to `target` stays inside the store (or part of it is missing).
 */
function linkedAncestors(root: string, target: string): string[] {
  const rel = path.relative(root, path.dirname(target))
  if (rel === '' ) return []
  if (rel.startsWith('..') || path.isAbsolute(rel)) return [path.dirname(target)]
  const bad: string[] = []
  let current = root
  for (const part of rel.split(path.sep)) {
    current = path.join(current, part)
    try {
      if (!fs.lstatSync(current).isDirectory()) bad.push(current)
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR')) return bad
      throw err
    }
  }
  return bad
}

/** True when `target` is reached from `root` through real directories only (never through a link). */
export function insideStore(root: string, target: string): boolean {
  return linkedAncestors(root, target).length === 0
}

/**
 * The store's trash, made a real directory inside the store if it is not one: a link or file
 * planted at its place is removed (it is in the bookkeeping directory, so it is ours to remove;
 * what a link points at is never touched). Null when the bookkeeping directory itself is not a
 * real directory: nothing is ever renamed into it then.
 */
function realTrash(root: string): string | null {
  const book = bookkeepingDir(root)
  const trash = trashDir(root)
  for (const dir of [book, trash]) {
    for (let attempt = 0; ; attempt++) {
      let stat: fs.Stats | null = null
      try {
        stat = fs.lstatSync(dir)
      } catch (err) {
        if (!isErrno(err, 'ENOENT')) throw err
      }
      if (stat?.isDirectory() === true) break
      if (attempt > 2 || (stat !== null && dir === book)) return null
      if (stat !== null) fs.unlinkSync(dir)
      try {
        fs.mkdirSync(dir, { mode: 0o700 })
      } catch (err) {
        if (!isErrno(err, 'EEXIST')) throw err
      }
    }
  }
  return trash
}

/**
 * THE way a space (or anything else of the store's) is moved away before it is deleted: one
 * rename into the store's trash, so it is either whole or gone (docs/design.md, "One trash").
 * Never renames through a link: `target`'s namespace directories must be real directories, and
 * so must the trash (see `realTrash`); when the trash is unusable or on another file system,
 * the target is renamed next to itself as `.trash-…`, which the gc removes. Returns where it
 * went, or null when `target` did not exist. Throws the system error when the rename fails
 * (EROFS on a read-only store), and `ERR_SCRATCH_NOT_WRITABLE` when the way to it is a link.
 */
export function trashSpace(root: string, target: string): string | null {
  // Nothing to move: do not create the trash (nor the store) for it.
  try {
    fs.lstatSync(target)
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return null
    throw err
  }
  const linked = linkedAncestors(root, target)
  if (linked.length > 0) {
    throw new ScratchError('ERR_SCRATCH_NOT_WRITABLE', `${linked[0]} is not a real directory of the scratch store; nothing is deleted through it (${target})`, {
      hint: `Something replaced a namespace directory with a link or a file. Remove ${linked[0]} yourself if it is not needed.`,
    })
  }
  const name = asideName('space')
  for (let attempt = 0; ; attempt++) {
    const trash = realTrash(root)
    const dest = trash === null ? path.join(path.dirname(target), `.trash-${name}`) : path.join(trash, name)
    try {
      fs.renameSync(target, dest)
      return dest
    } catch (err) {
      if (isErrno(err, 'EXDEV') && trash !== null) {
        const beside = path.join(path.dirname(target), `.trash-${name}`)
        fs.renameSync(target, beside)
        return beside
      }
      if (!isErrno(err, 'ENOENT')) throw err
      // Either the target went (someone else deleted it) or the trash did (a gc emptied it).
      if (!fs.existsSync(target) && !isLink(target)) return null
      if (attempt >= 2) throw err
    }
  }
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}

/**
 * Removes a tree that is already out of sight (in the trash, or a temp directory), at any depth.
 * Returns false when `deadline` stopped it; what is left waits for the next run. Throws when an
 * entry cannot be removed; it stays in the trash and the next gc retries.
 */
export function removeTrashed(trashed: string, deadline?: number): boolean {
  return removeTree(trashed, { deadline })
}

/** `ERR_SCRATCH_NOT_WRITABLE` for a space that exists but could not be moved away. */
function cannotDelete(target: string, cause: unknown): ScratchError {
  const code = isErrno(cause) ? cause.code : 'error'
  return new ScratchError('ERR_SCRATCH_NOT_WRITABLE', `Cannot delete scratch space ${target} (${code}); it is still there`, {
    hint: 'The scratch store is not writable here (a read-only mount or missing permissions). Make it writable, or set SCRATCHSPACE_DIR to another store.',
    cause,
  })
}

/**
 * Removes the space at `target`: rename away, then delete. Returns false when there was nothing;
 * throws `ERR_SCRATCH_NOT_WRITABLE` when it is there but cannot be moved (a read-only store).
 * Also removes the namespace directories the deletion left empty, tolerating a concurrent create.
 */
export function removeSpace(root: string, target: string): boolean {
  let trashed: string | null
  try {
    trashed = trashSpace(root, target)
  } catch (err) {
    if (isErrno(err, ...NOT_WRITABLE_ERRNOS, 'EBUSY')) throw cannotDelete(target, err)
    throw err
  }
  if (trashed === null) return false
  try {
    removeTrashed(trashed)
  } catch (err) {
    // Out of sight already; the next gc empties the trash.
    if (!isErrno(err)) throw err
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
      if (isErrno(err, 'ENOTEMPTY', 'EEXIST', 'ENOENT', 'EACCES', 'EPERM', 'EBUSY', 'EROFS', 'ENOTDIR')) return
      throw err
    }
    current = path.dirname(current)
  }
}
