import fs from 'node:fs'
import path from 'node:path'
import { ScratchError, isErrno } from '../errors'
import { namespaceDir, spaceId } from './layout'
import { assertKey } from './names'
import { resolveOwner, type Owner, type OwnerInfo } from './owner'
import { currentRoot } from './root'
import { scanSpaces } from './scan'
import { assertStore } from './store-mark'
import { notWritable, prepareStoreRoot, warnOnce, writeCachedirTag } from './store-root'
import { removeSpace } from './remove'
import { measureTree } from './tree'
import { forgetSpace, recentlyRecorded, recordAccess, trackingEnabled } from './tracking'
import { makeDirs } from './dirs'
import { requestUpkeep } from './compaction-trigger'

/** Options of `getScratch` and `getGlobalScratch`. */
export interface GetScratchOptions {
  /**
   * The package whose lifetime keeps the space alive, when it is not the owner (Scratch.jl's
   * `calling_pkg`): the space lives in the owner's namespace but survives while either is installed.
   */
  caller?: Owner
}

/** A space located and validated, not yet touched. */
export interface SpaceLocation {
  root: string
  id: string
  path: string
  owner: OwnerInfo | null
}

// root → owner name ('' for the global namespace; no package is named '') → key → the space's id
// and path. Warm calls pass the same root, name and key strings every time, so these lookups
// hash nothing new and build no strings; the path is then one string object per space.
const located = new Map<string, Map<string, Map<string, { id: string; path: string }>>>()

/** Where `key` of `owner` (null: the global namespace) lives under the current root. Validates both. */
export function locateSpace(key: string, owner: Owner | null): SpaceLocation {
  assertKey(key)
  const info = owner === null ? null : resolveOwner(owner)
  const root = currentRoot()
  const name = info?.name ?? null
  let byName = located.get(root)
  if (byName === undefined) located.set(root, byName = new Map())
  let byKey = byName.get(name ?? '')
  if (byKey === undefined) byName.set(name ?? '', byKey = new Map())
  let where = byKey.get(key)
  if (where === undefined) {
    where = { id: spaceId(name, key), path: namespaceDir(root, name) + path.sep + key }
    byKey.set(key, where)
  }
  return { root, id: where.id, path: where.path, owner: info }
}

/**
 * Makes sure this use of `space` by `caller` is on record (once per 24 h per process, and again
 * whenever the directory is missing), before anything is created. A log that cannot be written
 * is a warning, never an error: the space still works, gc just cannot see this use. Returns what
 * `prepareStoreRoot` said when it ran (so the caller need not ask again), else undefined.
 */
export function noteAccess(space: SpaceLocation, caller: OwnerInfo | null, exists: boolean, now: number): boolean | undefined {
  if (exists && recentlyRecorded(caller, space.path, now)) return undefined
  if (!trackingEnabled()) return undefined
  let tracked: boolean | undefined
  try {
    // A directory of other programs' files is never marked as a store by recording in it.
    tracked = prepareStoreRoot(space.root)
    if (tracked) recordAccess({ root: space.root, spaceId: space.id, spacePath: space.path, owner: space.owner, caller, now })
  } catch (err) {
    // Any system error: the record is best effort (EBUSY is Windows' answer for a log another
    // process holds open exclusively, EIO a failing disk), and the space itself may still work.
    if (!isErrno(err)) throw err
    warnOnce('access-log', `cannot record the use of ${space.path} (${err.code}): ` +
      'the space works, but gc cannot see this use. Set SCRATCHSPACE_DIR to a writable store, or SCRATCHSPACE_TRACK_ACCESS=0.')
  }
  return tracked
}

function openSpace(space: SpaceLocation, caller: OwnerInfo | null): string {
  const exists = fs.existsSync(space.path)
  const now = Date.now()
  if (exists && recentlyRecorded(caller, space.path, now)) return space.path
  const noted = noteAccess(space, caller, exists, now)
  if (!exists) {
    try {
      // Prepared a moment ago by the note, unless it did not run (or failed: then this throws).
      const tracked = noted ?? prepareStoreRoot(space.root)
      makeDirs(space.path)
      // Only a call that creates a space looks at the upkeep stamp (docs/design.md, "Periodic upkeep").
      if (tracked) requestUpkeep(space.root, now)
    } catch (err) {
      // Every system error here is about the store location (full, read-only, too long, /proc).
      if (isErrno(err)) throw notWritable(space.path, err)
      throw err
    }
  }
  return space.path
}

/**
 * The absolute path of the space `key` in `owner`'s namespace, created (with its parents, 0700)
 * if needed: the directory exists on return, also after someone deleted it. Synchronous, so it
 * can run at module load. Bad keys and owners throw before anything touches the disk; a space
 * that is missing and cannot be created throws `ERR_SCRATCH_NOT_WRITABLE`.
 * @example const cache = getScratch('downloads', import.meta)
 */
export function getScratch(key: string, owner: Owner, opts?: GetScratchOptions): string {
  if (owner === null || owner === undefined) {
    throw new ScratchError('ERR_SCRATCH_INVALID_OWNER', `Missing owner for scratch space ${JSON.stringify(key)}`, {
      hint: 'Pass import.meta, __dirname or { name }; use getGlobalScratch for the shared namespace.',
    })
  }
  const space = locateSpace(key, owner)
  const caller = opts?.caller === undefined ? space.owner : resolveOwner(opts.caller)
  return openSpace(space, caller)
}

/** Like `getScratch`, in the global namespace shared by every package (`<root>/_global/<key>`). */
export function getGlobalScratch(key: string, opts?: GetScratchOptions): string {
  const space = locateSpace(key, null)
  return openSpace(space, opts?.caller === undefined ? null : resolveOwner(opts.caller))
}

/**
 * Removes the space (`owner` null: the global namespace). Returns whether anything was removed;
 * a missing space is not an error. The space is renamed away first, so it is whole or gone. A
 * space that is there but cannot be removed (a read-only store) throws `ERR_SCRATCH_NOT_WRITABLE`.
 */
export function deleteScratch(key: string, owner: Owner | null): boolean {
  const space = locateSpace(key, owner)
  const removed = removeSpace(space.root, space.path)
  forgetSpace(space.path)
  return removed
}

/**
 * Removes every space (no argument), an owner's namespace, or the global one (`null`). The
 * bookkeeping directory stays, and `CACHEDIR.TAG` is kept (recreated if missing). Anything in
 * the root that is not an `<owner>/<key>` space is left alone.
 */
export function clearScratchspaces(owner?: Owner | null): { removed: string[]; bytes: number } {
  const name = owner === undefined ? undefined : owner === null ? null : resolveOwner(owner).name
  const root = currentRoot()
  assertStore(root)
  const removed: string[] = []
  let bytes = 0
  for (const space of scanSpaces(root, name)) {
    const size = freeableBytes(space.path)
    if (removeSpace(root, space.path)) {
      removed.push(space.path)
      bytes += size
    }
    forgetSpace(space.path)
  }
  if (owner === undefined && fs.existsSync(root)) writeCachedirTag(root)
  return { removed, bytes }
}

/** What deleting `dir` frees (hard links shared with files outside it excluded); 0 when it cannot be read. */
function freeableBytes(dir: string): number {
  try {
    return measureTree(dir).freeBytes
  } catch (err) {
    if (isErrno(err)) return 0
    throw err
  }
}

/**
 * The store root joined with `parts`; computes a string only. Throws `ERR_SCRATCH_INVALID_KEY`
 * when the result would leave the store.
 */
export function scratchDir(...parts: string[]): string {
  const root = currentRoot()
  // Checked before joining: path.join would throw a TypeError of its own for a non-string part.
  const joined = parts.every((part) => typeof part === 'string' && !part.includes('\0')) ? path.join(root, ...parts) : null
  if (joined === null || (joined !== root && !joined.startsWith(root + path.sep))) {
    throw new ScratchError('ERR_SCRATCH_INVALID_KEY', `Path parts ${JSON.stringify(parts)} leave the scratch store ${root}`, {
      hint: 'Pass path segments inside the store, such as an owner name and a key.',
    })
  }
  return joined
}

/** Where the space `key` of `owner` (null: global) would be; computes a string only, validating both. */
export function scratchPath(key: string, owner: Owner | null): string {
  return locateSpace(key, owner).path
}
