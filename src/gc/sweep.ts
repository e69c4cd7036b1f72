import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { moveToTrash, pruneEmptyParents, removeTrashed, treeBytes } from '../runtime/remove'
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
  /** Empties moved spaces now; false leaves them in the trash for later (the hook's budget). */
  removeNow: (bytes: number) => boolean
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
  const doomed: { report: SpaceReport; space: SpaceEntry }[] = []
  for (const [index, space] of spaces.entries()) {
    policy.onProgress?.(index + 1, spaces.length)
    const id = `${space.owner ?? '_global'}/${space.key}`
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
    const report: SpaceReport = {
      owner: space.owner, key: space.key, path: space.path, bytes: treeBytes(space.path, stat), tracked: usage !== undefined,
      lastAccess: new Date(verdict.lastAccess).toISOString(), projects: [...(usage?.projects.keys() ?? [])].sort(),
      callers: [...(usage?.callers.keys() ?? [])].filter((caller) => caller !== space.owner).sort(),
      verdict: verdict.verdict, action: 'keep', reason: verdict.reason,
    }
    reports.push(report)
    if (!verdict.remove) continue
    if (policy.holdReason !== undefined) {
      report.reason += ` (not deleted: ${policy.holdReason})`
    } else if (stat.birthtimeMs >= policy.runStartFs) {
      report.reason = 'created during this gc run'
    } else {
      report.action = 'delete'
      doomed.push({ report, space })
    }
  }
  let freedBytes = 0
  if (policy.dryRun) {
    for (const { report } of doomed) freedBytes += report.bytes
    return { reports, freedBytes }
  }
  const touched = doomed.length > 0 ? policy.touchedSinceStart() : new Set<string>()
  for (const { report, space } of doomed) {
    if (touched.has(`${space.owner ?? '_global'}/${space.key}`) || createdOrChangedSince(space.path, policy.runStartFs)) {
      report.action = 'keep'
      report.reason = 'used during this gc run'
      continue
    }
    try {
      const trashed = moveToTrash(policy.root, space.path)
      report.action = 'deleted'
      if (trashed !== null) {
        freedBytes += report.bytes
        if (policy.removeNow(report.bytes)) {
          try {
            removeTrashed(trashed)
          } catch (err) {
            // The space is out of sight already, so it is deleted; the trash copy waits for the next run.
            if (!isErrno(err)) throw err
            report.reason = `${report.reason}; left in the trash (${err.code}), emptied by the next run`
          }
        }
      }
      delete policy.marks[`${space.owner ?? '_global'}/${space.key}`]
      pruneEmptyParents(policy.root, path.dirname(space.path))
    } catch (err) {
      if (!isErrno(err)) throw err
      report.action = 'failed'
      report.reason = `${report.reason}; deletion failed (${err.code}: ${err.message}), retried next run`
    }
  }
  return { reports, freedBytes }
}
