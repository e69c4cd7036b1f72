import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { creatorGone } from '../runtime/aside'
import { bookkeepingDir } from '../runtime/layout'
import { insideStore } from '../runtime/remove'
import { DAY_MS } from '../runtime/iso-time'
import { scanSpaces, type SpaceEntry } from '../runtime/scan'
import { removeTree } from '../runtime/tree-remove'

const STALE_TEMP_MS = DAY_MS

/** A temp or aside entry that crashed writers may have left, and whether the gc may remove it now. */
export interface Leftover { file: string; removable: boolean }

/**
 * What a namespace entry that is not a space is: a `.trash-*` entry (already out of sight:
 * removable), a `.<key>.tmp-*` directory of `ensureScratch`/import (removable once its creator,
 * pid and host in the name, is no longer running on this host, or after a day), or nothing of
 * ours (null).
 */
function judgeNamespaceEntry(dir: string, name: string, now: number): boolean | null {
  if (name.startsWith('.trash-')) return true
  if (!/^\..+\.tmp-/.test(name)) return null
  if (creatorGone(name)) return true
  try {
    return now - fs.lstatSync(path.join(dir, name)).mtimeMs > STALE_TEMP_MS
  } catch {
    return null
  }
}

/**
 * The store's spaces (as {@link scanSpaces} lists them) and the temp files and directories of
 * crashed writers, from ONE listing of the store: the namespaces the scan reads anyway, and the
 * bookkeeping directory, whose `.*.tmp` entries are removable (state files and the clock probe
 * are only written under the store lock, which a full gc holds, and stale-lock asides are never
 * read again). Listing every namespace a second time for leftovers was an eighth of a warm gc
 * (docs/design.md, "The warm gc").
 */
export function listStore(root: string, now: number): { spaces: SpaceEntry[]; leftovers: Leftover[] } {
  const leftovers: Leftover[] = []
  const book = bookkeepingDir(root)
  try {
    // Only a real bookkeeping directory is listed: one replaced by a link holds another program's files.
    if (insideStore(root, path.join(book, 'entry'))) {
      for (const name of fs.readdirSync(book)) if (name.startsWith('.') && name.endsWith('.tmp')) leftovers.push({ file: path.join(book, name), removable: true })
    }
  } catch (err) {
    // A directory this user cannot read holds nothing it could remove.
    if (!isErrno(err, 'ENOENT', 'ENOTDIR', 'EACCES', 'EPERM')) throw err
  }
  const spaces = scanSpaces(root, undefined, (dir, name) => {
    const removable = judgeNamespaceEntry(dir, name, now)
    if (removable !== null) leftovers.push({ file: path.join(dir, name), removable })
  })
  return { spaces, leftovers }
}

/**
 * Removes the `leftovers` that are removable. Each is removed only when the way to it is still
 * real directories inside the store (a namespace replaced by a link since the listing leads to
 * another program's files). Returns how many could not be removed.
 */
export function removeLeftovers(root: string, leftovers: readonly Leftover[]): number {
  let failed = 0
  for (const { file, removable } of leftovers) {
    if (!removable) continue
    try {
      if (insideStore(root, file)) removeTree(file)
    } catch (err) {
      if (!isErrno(err)) throw err
      failed++
    }
  }
  return failed
}
