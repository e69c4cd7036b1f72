import { accessLogPath, spaceId } from '../runtime/layout'
import { scanSpaces } from '../runtime/scan'
import { formatHold, storeMark } from '../runtime/store-mark'
import { compactHistory, newerRecords, retireSegment, rotateLog, type History } from '../store/history'
import { tryAcquireLock } from '../store/lock'
import { loadState } from './state'

/**
 * Rotates the live log and rewrites the compacted one from `history` (read by the caller, under
 * the store lock, before the rotation): the newest record per (space, caller, project) of every
 * space still on disk or used since `since`. Older segments go, and the one rotated now is
 * retired once whatever was appended to it after `history` was read is carried over to the new
 * live log. See docs/design.md, "Store format". Does nothing when `history` skipped records
 * this version does not understand (docs/design.md, "Record versions").
 */
export function compactLog(root: string, history: History, since: number): void {
  // A history read without its records has nothing to write back: rotating and retiring the
  // live log then would lose every record in it.
  if (newerRecords(history) !== undefined || !history.records) return
  const rotation = rotateLog(root)
  const onDisk = new Set(scanSpaces(root).map((space) => spaceId(space.owner, space.key)))
  const compacted = compactHistory(root, history, (usage) => onDisk.has(usage.id) || usage.lastAccess >= since, rotation.olderSegments)
  if (compacted && rotation.rotated !== null) retireSegment(root, rotation.rotated, history.readTo.get(accessLogPath(root)) ?? 0)
}

/**
 * Compacts the access log of `root` and nothing else (no verdicts, no deletion): what the
 * runtime starts in the background when the live log has grown past its threshold, so the log
 * stays bounded for people who never run gc. Returns false, doing nothing, when the store is
 * not a store, has a newer format, records or state of a newer version, or is locked by a run
 * (which compacts it anyway).
 */
export function compactStore(root: string): boolean {
  if (storeMark(root) !== 'marked' || formatHold(root) !== undefined) return false
  const lock = tryAcquireLock(root, 'log compaction')
  if (lock === null) return false
  try {
    const since = Date.now()
    // Records or state files of a newer version: this store's log is not this version's to rewrite.
    const state = loadState(root, null)
    if (state.newerWriter !== undefined) return false
    compactLog(root, state.history, since)
    return true
  } finally {
    lock.release()
  }
}
