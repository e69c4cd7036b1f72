import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { spaceId } from '../runtime/layout'
import { insideStore } from '../runtime/remove'
import { deleteSpaces } from './execute'
import { measureTree } from '../runtime/tree'
import type { SpaceEntry } from '../runtime/scan'
import type { History, SpaceUsage } from '../store/history'
import type { SpaceReport } from './report'
import { settleFutureMtime } from './skew'
import { renderBecause } from './because'
import { planSweep, type PlanEntry } from './plan'
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
  /** Hand what is left to a worker thread after removing this long (the hook in a host that keeps running; see DeleteLimits). */
  removeLaterAfterMs?: number
  /** The store's size budget in bytes (`--max-size`): needs `sizeKept`. */
  budgetBytes?: number
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

/** The keys of `map` but `except`, sorted; most spaces have one project and one caller. */
function sortedKeys(map: ReadonlyMap<string, number> | undefined, except?: string | null): string[] {
  if (map === undefined || map.size === 0) return []
  if (map.size === 1) {
    const [only] = map.keys()
    return only === except ? [] : [only]
  }
  return [...map.keys()].filter((key) => key !== except).sort()
}

/** A space the plan deletes, with what the executor needs to delete it. */
export interface Doomed { report: SpaceReport; space: SpaceEntry; freeBytes: number; entries: number }

/**
 * Judges `spaces` and, unless dry-running, deletes those the plan condemns (docs/design.md,
 * "The gc rules"): facts from disk, the pure verdict and plan (`judgeSpace`, `planSweep`), then
 * `executeDeletions`. Nothing created, or with an access record, after the run started is
 * deleted (race guard). Returns one report per space and the freed bytes.
 */
export function sweepSpaces(spaces: SpaceEntry[], history: History, policy: SweepPolicy): { reports: SpaceReport[]; freedBytes: number } {
  const judged: { space: SpaceEntry; usage: SpaceUsage | undefined; entry: PlanEntry; size?: ReturnType<typeof sizeOf> }[] = []
  // Spaces come sorted by owner: a namespace is checked once for all its spaces, when the first
  // of them is looked at (a full gc met 10,000 spaces in ~5,000 namespaces). Deleting checks
  // each path again.
  const realNamespace = new Map<string, boolean>()
  for (const [index, space] of spaces.entries()) {
    policy.onProgress?.(index + 1, spaces.length)
    const id = spaceId(space.owner, space.key)
    const usage = history.spaces.get(id)
    // A tracked space's verdict needs no fact from its directory (its mtime counts only for an
    // untracked one), so it is judged first, and its directory is looked at only when the space
    // is deleted or sized: one lstat per kept space was a fifth of a warm gc (docs/design.md,
    // "The warm gc"). The listing just found it, as a directory or a link.
    let verdict = usage === undefined ? undefined : judgeSpace({ owner: space.owner, usage, mtimeMs: NaN, mark: policy.marks[id] }, policy)
    let stat: fs.Stats | undefined
    if (verdict === undefined || verdict.remove || policy.sizeKept) {
      // A namespace replaced by a link leads out of the store: never sized, judged or entered.
      const namespace = path.dirname(space.path)
      let inside = realNamespace.get(namespace)
      if (inside === undefined) realNamespace.set(namespace, inside = insideStore(policy.root, space.path))
      if (!inside) continue
      try {
        stat = fs.lstatSync(space.path)
      } catch (err) {
        if (isErrno(err, 'ENOENT')) continue
        throw err
      }
      const mtimeMs = usage === undefined && !space.isLink ? settleFutureMtime(space.path, stat.mtimeMs, policy.runStart, policy.dryRun) : stat.mtimeMs
      verdict ??= judgeSpace({ owner: space.owner, usage, mtimeMs, mark: policy.marks[id] }, policy)
    }
    if (verdict.mark === undefined) delete policy.marks[id]
    else policy.marks[id] = verdict.mark
    // The budget needs every size; the install-time sweep sizes only what it deletes.
    const size = stat !== undefined && (verdict.remove || policy.sizeKept) ? sizeOf(space, stat, policy.deadline) : undefined
    // Not looked at (kept, unsized): no creation time is known, so the plan could never delete it.
    judged.push({ space, usage, size, entry: { id, verdict, birthtimeMs: stat?.birthtimeMs ?? Infinity, size } })
  }
  const decisions = planSweep(judged.map((j) => j.entry), { runStartFs: policy.runStartFs, holdReason: policy.holdReason, budgetBytes: policy.budgetBytes })
  const reports: SpaceReport[] = []
  const doomed: Doomed[] = []
  for (const [index, { space, usage, size, entry }] of judged.entries()) {
    const { because, remove } = decisions[index]
    const report: SpaceReport = {
      owner: space.owner, key: space.key, path: space.path, bytes: size?.bytes ?? 0, tracked: usage !== undefined,
      lastAccess: new Date(entry.verdict.lastAccess).toISOString(), projects: sortedKeys(usage?.projects),
      callers: sortedKeys(usage?.callers, space.owner),
      verdict: entry.verdict.verdict, action: remove ? 'delete' : 'keep', reason: renderBecause(because), because,
    }
    if (size === undefined) report.sized = false
    if (size?.note !== undefined) report.reason += `; ${size.note}`
    reports.push(report)
    if (remove) doomed.push({ report, space, freeBytes: size?.freeBytes ?? 0, entries: size?.complete === false ? Infinity : size?.entries ?? 0 })
  }
  if (policy.dryRun) return { reports, freedBytes: doomed.reduce((sum, { freeBytes }) => sum + freeBytes, 0) }
  return { reports, freedBytes: executeDeletions(doomed, policy) }
}

/**
 * Deletes what the plan condemned: re-checks the race guard (records appended, or the directory
 * changed, since the run started), then hands the rest to `deleteSpaces` (into the trash, then
 * removed now when small enough and the deadline allows, else left for the background emptier
 * or the next run). Returns the bytes freed.
 */
export function executeDeletions(doomed: readonly Doomed[], policy: SweepPolicy): number {
  const touched = doomed.length > 0 ? policy.touchedSinceStart() : new Set<string>()
  const go: Doomed[] = []
  for (const item of doomed) {
    const { report, space } = item
    if (touched.has(spaceId(space.owner, space.key)) || createdOrChangedSince(space.path, policy.runStartFs)) {
      report.action = 'keep'
      report.because = { code: 'race-guard', event: 'used' }
      report.reason = renderBecause(report.because)
    } else {
      go.push(item)
    }
  }
  const outcomes = deleteSpaces(policy.root, go.map(({ space, entries }) => ({ path: space.path, entries })), { deadline: policy.deadline, removeNowUpTo: policy.removeNowUpTo, removeLaterAfterMs: policy.removeLaterAfterMs })
  let freedBytes = 0
  for (const [index, outcome] of outcomes.entries()) {
    const { report, space, freeBytes } = go[index]
    if (outcome.state === 'failed') {
      report.action = 'failed'
      report.reason = `${report.reason}; deletion failed (${outcome.error.code}: ${outcome.error.message}), retried next run`
      continue
    }
    report.action = 'deleted'
    delete policy.marks[spaceId(space.owner, space.key)]
    if (outcome.state === 'missing') continue
    // Freed for its users once out of sight; hard links shared with files elsewhere never count.
    freedBytes += freeBytes
    if (outcome.state === 'in-trash') {
      report.reason += outcome.error === undefined ? '; being emptied from the trash' : `; left in the trash (${outcome.error}), emptied by the next run`
    }
  }
  return freedBytes
}
