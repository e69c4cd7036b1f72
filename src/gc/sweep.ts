import fs from 'node:fs'
import path from 'node:path'
import { ScratchError, isErrno } from '../errors'
import { insideStore, pruneEmptyParents, removeTrashed, trashSpace } from '../runtime/remove'
import { measureTree } from '../runtime/tree'
import type { SpaceEntry } from '../runtime/scan'
import type { History } from '../store/history'
import type { SpaceReport } from './report'
import { settleFutureMtime } from './skew'
import { judgeSpace, type VerdictContext } from './verdict'

/** How a sweep may act: the run's start (race guard), and whether deleting is allowed at all. */
export interface SweepPolicy extends VerdictContext {
  root: string
  /** Wall-clock start (records at or after it are "during the run"). */
  runStart: number
  /** Filesystem-clock start (spaces created at or after it are "during the run"); see markRunStart. */
  runStartFs: number
  dryRun: boolean
  /** Why this run deletes nothing (rebuilt state), or undefined. */
  holdReason?: string
  /** Orphan marks, updated in place. */
  marks: Record<string, number>
  /** Re-reads the log for spaces used since the run started (called once, before deleting). */
  touchedSinceStart: () => Set<string>
  /** Called after each space is judged, for a progress indicator. */
  onProgress?: (done: number, total: number) => void
  /**
   * Epoch ms after which nothing more is sized or removed (the hook's time bound): moved spaces
   * then wait in the trash for later. Infinity for a full run.
   */
  deadline: number
  /** Size spaces that are kept too (list, gc); the hook sizes only what it deletes. */
  sizeKept: boolean
  /**
   * Spaces with more entries than this are left in the trash for a background emptier instead
   * of being removed now (the hook: unlinking 10⁵ files can take minutes on a busy disk, and no
   * deadline interrupts a blocked unlink). Infinity for a full run.
   */
  removeNowUpTo: number
}

/** The bytes of a space, or why they could not be counted (an unreadable directory inside). */
function sizeOf(space: SpaceEntry, stat: fs.Stats, deadline: number): { bytes: number; freeBytes: number; entries: number; complete: boolean; note?: string; error?: string } {
  try {
    const size = measureTree(space.path, { stat, deadline })
    return size.complete ? size : { ...size, note: 'size counted in part (time bound)' }
  } catch (err) {
    if (!isErrno(err)) throw err
    return { bytes: 0, freeBytes: 0, entries: 0, complete: false, error: err.message }
  }
}

function createdOrChangedSince(file: string, since: number): boolean {
  try {
    const stat = fs.lstatSync(file)
    return stat.birthtimeMs >= since || stat.ctimeMs >= since
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false
    throw err
  }
}

/**
 * Judges `spaces` and, unless dry-running, deletes those the verdict condemns: each is renamed
 * into the trash (whole or gone), then removed. Nothing created, or with an access record, after
 * the run started is deleted (race guard). Returns one report per space and the freed bytes.
 */
export function sweepSpaces(spaces: SpaceEntry[], history: History, policy: SweepPolicy): { reports: SpaceReport[]; freedBytes: number } {
  const reports: SpaceReport[] = []
  const doomed: { report: SpaceReport; space: SpaceEntry; freeBytes: number; entries: number }[] = []
  // Spaces come sorted by owner: a namespace is checked once for all its spaces, just before
  // them (a full gc met 10,000 spaces in ~5,000 namespaces). Deleting checks each path again.
  const realNamespace = new Map<string, boolean>()
  for (const [index, space] of spaces.entries()) {
    policy.onProgress?.(index + 1, spaces.length)
    const id = `${space.owner ?? '_global'}/${space.key}`
    // A namespace replaced by a link leads out of the store: never sized, judged or entered.
    const namespace = path.dirname(space.path)
    let inside = realNamespace.get(namespace)
    if (inside === undefined) realNamespace.set(namespace, inside = insideStore(policy.root, space.path))
    if (!inside) continue
    let stat: fs.Stats
    try {
      stat = fs.lstatSync(space.path)
    } catch (err) {
      if (isErrno(err, 'ENOENT')) continue
      throw err
    }
    const usage = history.spaces.get(id)
    const mtimeMs = usage === undefined && !space.isLink ? settleFutureMtime(space.path, stat.mtimeMs, policy.runStart, policy.dryRun) : stat.mtimeMs
    const verdict = judgeSpace({ owner: space.owner, usage, mtimeMs, mark: policy.marks[id] }, policy)
    if (verdict.mark === undefined) delete policy.marks[id]
    else policy.marks[id] = verdict.mark
    const size = verdict.remove || policy.sizeKept ? sizeOf(space, stat, policy.deadline) : undefined
    const report: SpaceReport = {
      owner: space.owner, key: space.key, path: space.path, bytes: size?.bytes ?? 0, tracked: usage !== undefined,
      lastAccess: new Date(verdict.lastAccess).toISOString(), projects: [...(usage?.projects.keys() ?? [])].sort(),
      callers: [...(usage?.callers.keys() ?? [])].filter((caller) => caller !== space.owner).sort(),
      verdict: verdict.verdict, action: 'keep', reason: verdict.reason,
    }
    if (size === undefined) report.sized = false
    if (size?.note !== undefined) report.reason += `; ${size.note}`
    reports.push(report)
    if (size?.error !== undefined) {
      // Unreadable inside (another user's directory, mode 000): kept whatever the verdict, and
      // said why; not `failed`, which would fail the run for what is the machine's state, not an error.
      report.reason += `; cannot read it (${size.error}), so it is kept`
      continue
    }
    if (!verdict.remove) continue
    if (policy.holdReason !== undefined) {
      report.reason += ` (not deleted: ${policy.holdReason})`
    } else if (stat.birthtimeMs >= policy.runStartFs) {
      report.reason = 'created during this gc run'
    } else {
      report.action = 'delete'
      doomed.push({ report, space, freeBytes: size?.freeBytes ?? 0, entries: size?.complete === false ? Infinity : size?.entries ?? 0 })
    }
  }
  let freedBytes = 0
  if (policy.dryRun) {
    for (const { freeBytes } of doomed) freedBytes += freeBytes
    return { reports, freedBytes }
  }
  const touched = doomed.length > 0 ? policy.touchedSinceStart() : new Set<string>()
  for (const { report, space, freeBytes, entries } of doomed) {
    if (touched.has(`${space.owner ?? '_global'}/${space.key}`) || createdOrChangedSince(space.path, policy.runStartFs)) {
      report.action = 'keep'
      report.reason = 'used during this gc run'
      continue
    }
    try {
      const trashed = trashSpace(policy.root, space.path)
      report.action = 'deleted'
      if (trashed !== null) {
        // Freed for its users once out of sight; hard links shared with files elsewhere never count.
        freedBytes += freeBytes
        try {
          if (entries > policy.removeNowUpTo || !removeTrashed(trashed, policy.deadline)) report.reason += '; being emptied from the trash'
        } catch (err) {
          // The space is out of sight already, so it is deleted; the trash copy waits for the next run.
          if (!isErrno(err)) throw err
          report.reason = `${report.reason}; left in the trash (${err.code}), emptied by the next run`
        }
      }
      delete policy.marks[`${space.owner ?? '_global'}/${space.key}`]
      pruneEmptyParents(policy.root, path.dirname(space.path))
    } catch (err) {
      if (!isErrno(err) && !(err instanceof ScratchError)) throw err
      report.action = 'failed'
      report.reason = `${report.reason}; deletion failed (${err.code}: ${err.message}), retried next run`
    }
  }
  return { reports, freedBytes }
}
