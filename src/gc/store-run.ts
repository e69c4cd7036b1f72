import fs from 'node:fs'
import { accessLogPath, bookkeepingDir, spaceId } from '../runtime/layout'
import type { LogRecord } from '../runtime/access-log'
import { scanSpaces, type SpaceEntry } from '../runtime/scan'
import { prepareStoreRoot } from '../runtime/store-root'
import { isErrno } from '../errors'
import { compactHistory, historyBytes, onlyCompacted, readHistory, retireSegment, rotateLog, spacesTouchedSince, type History, type HistorySize } from '../store/history'
import { tryAcquireLock, type StoreLock } from '../store/lock'
import { saveOrphanMarks } from '../store/orphans'
import { isWholeFile, registryChanged, saveRegistry } from '../store/registry'
import { markRunStart, type RunStart } from './clock'
import { compactLog } from './compact'
import type { SpaceReport } from './report'
import { listStore, removeLeftovers } from './leftovers'
import { emptyTrash, loadState, type StoreState } from './state'
import { sweepSpaces, type SweepPolicy } from './sweep'
import type { World } from './world'

/** What the steps before judging found, handed to the judge step. */
export interface StoreRun {
  root: string
  /** True when this run changes nothing (asked for, or held by a newer store format). */
  dryRun: boolean
  start: RunStart
  /** The policy clock (ages); the race guard uses `start`. */
  now: number
  state: StoreState
  /** The log segment this run rotated (full runs), whose later appends the race guard reads. */
  rotated: string | null
  /**
   * A full run that found the compacted log to be the whole history (`onlyCompacted`): it rotated
   * nothing, read the folded history, and compacts only if it leaves records to drop.
   */
  quiet: boolean
  /** The spaces the full gc's one listing of the store found (with the leftovers), or null. */
  listed: SpaceEntry[] | null
  warnings: string[]
}

/** What the judge step decided to sweep, in which world, and with which limits. */
export interface Judged {
  world: World
  /** The spaces to judge and maybe delete; null: none (the sweep had no candidates). */
  spaces: SpaceEntry[] | null
  policy: Pick<SweepPolicy, 'graceMs' | 'maxAgeMs' | 'deadline' | 'sizeKept' | 'removeNowUpTo' | 'removeLaterAfterMs' | 'budgetBytes' | 'onProgress'>
}

export interface StoreRunOptions {
  /**
   * The store lock: one the caller holds (the full gc waits for it), `'try'` to take it without
   * waiting (the sweep: null comes back when it is held), or null for a dry run.
   */
  lock: StoreLock | 'try' | null
  /** Judge and report only. */
  dryRun: boolean
  now?: number
  /**
   * `full`: empty the trash and leftovers first, rotate the log, compact it after; `sweep`: none
   * of that inside the run (it must stay within its time bound), compact only a large log, and
   * leave the trash to a detached emptier.
   */
  kind: 'full' | 'sweep'
  /** Why the store must not be changed (a newer format): judged, held, reported. */
  formatProblem?: string
  /** A sweep that would read more log than this is not run (see docs/design.md, "Store format"). */
  maxLogBytes?: number
  /** Empties the trash at the end of a sweep (given the deadline); see scoped.ts. */
  finishTrash?: (run: StoreRun) => void
}

/**
 * A run that did not run: the lock was held, the log is too large for a sweep, or a sweep met
 * records or state of a newer version (`warnings` says which).
 */
export type StoreRunResult<T> =
  | { ran: true; value: T }
  | { ran: false; why: 'locked'; warnings: string[] }
  | { ran: false; why: 'newer-writer'; warnings: string[] }
  | { ran: false; why: 'log-too-large'; history: HistorySize; warnings: string[] }

/**
 * One gc run over a store (docs/design.md, "One run"), in named steps: lock → clock →
 * rotate → load → trash/temps → judge (`judge`) → execute (`sweepSpaces`) → save. The full gc
 * and the install-time sweep differ only in their options and judge step. `done` builds the
 * caller's result once the state is saved.
 */
export function withStoreRun<T>(
  root: string,
  opts: StoreRunOptions,
  judge: (run: StoreRun) => Judged,
  done: (run: StoreRun, judged: Judged, swept: { reports: SpaceReport[]; freedBytes: number }) => T,
): StoreRunResult<T> {
  const dryRun = opts.dryRun || opts.formatProblem !== undefined
  // 1. lock
  const lock = opts.lock === 'try' ? (dryRun ? null : tryAcquireLock(root, 'scoped sweep')) : opts.lock
  if (opts.lock === 'try' && !dryRun && lock === null) return { ran: false, why: 'locked', warnings: [] }
  try {
    if (!dryRun) prepareStoreRoot(root)
    // 2. clock: the race guard's start, before anything is read.
    const start = dryRun ? { wallMs: Date.now(), fsMs: Infinity } : markRunStart(root)
    const now = opts.now ?? start.wallMs
    const warnings: string[] = []
    if (opts.maxLogBytes !== undefined && !dryRun) {
      const history = historyBytes(root)
      if (history.total > opts.maxLogBytes) return { ran: false, why: 'log-too-large', history, warnings }
    }
    // 3. rotate; a full run over a history that is all compacted has nothing to rotate or fold in
    // (a gc again after one, nothing used since), and reads it as a dry run does.
    const quiet = opts.kind === 'full' && !dryRun && onlyCompacted(root)
    const rotation = opts.kind === 'full' && !dryRun && !quiet ? rotateLog(root) : { olderSegments: [], rotated: null }
    // 4. load; every reason to delete nothing ends up in state.holdReason, which the plan obeys.
    // A history kept with its records costs a parsed record each: only a run that may compact
    // keeps them (a full run; a sweep when the live log has grown past its compaction size).
    const compacts = !dryRun && ((opts.kind === 'full' && !quiet) || liveLogBytes(root) > SWEEP_COMPACT_AT_BYTES)
    const state = loadState(root, opts.kind === 'full' ? { except: rotation.olderSegments } : null, { compacts })
    warnings.push(...state.warnings)
    if (opts.formatProblem !== undefined) {
      warnings.push(`${opts.formatProblem}; this run deletes nothing`)
      state.holdReason = [state.holdReason, opts.formatProblem].filter((hold) => hold !== undefined).join('; ')
    }
    // Records or state of a newer version: judged and reported, nothing changed (as for a newer
    // format); a sweep, which reports nothing, does not run at all.
    if (state.newerWriter !== undefined && opts.kind === 'sweep' && !dryRun) return { ran: false, why: 'newer-writer', warnings }
    const readOnly = dryRun || state.newerWriter !== undefined
    // 5. trash and temps: after the load, because only the load knows whether a newer version
    // wrote this store's records or state (then its trash and temps are left alone too).
    const listed = opts.kind === 'full' ? cleanFirst(root, readOnly, now, warnings) : null
    const run: StoreRun = { root, dryRun: readOnly, start, now, state, rotated: rotation.rotated, quiet, listed, warnings }
    // 6. judge
    const judged = judge(run)
    // 7. execute
    const swept = judged.spaces === null ? { reports: [], freedBytes: 0 } : sweepSpaces(judged.spaces, state.history, {
      root, runStart: start.wallMs, runStartFs: start.fsMs, dryRun: readOnly, now, liveNames: judged.world.liveNames,
      projectStatus: judged.world.projectStatus, marks: state.marks, holdReason: state.holdReason,
      touchedSinceStart: () => spacesTouchedSince(root, start.wallMs, rotation.rotated, state.history),
      ...judged.policy,
    })
    // 8. save
    if (!readOnly) save(run, judged, swept.reports, rotation.olderSegments, opts)
    return { ran: true, value: done(run, judged, swept) }
  } finally {
    lock?.release()
  }
}

/**
 * What earlier runs left: removed by a real run, only reported by a dry one. Returns the spaces
 * of the store, found by the same listing as the leftovers (after the trash is emptied).
 */
function cleanFirst(root: string, dryRun: boolean, now: number, warnings: string[]): SpaceEntry[] {
  if (!dryRun) {
    const left = emptyTrash(root)
    if (left.length > 0) warnings.push(`could not empty ${left.length} trash entr${left.length === 1 ? 'y' : 'ies'}; retried next run`)
  }
  const { spaces, leftovers } = listStore(root, now)
  if (!dryRun) {
    removeLeftovers(root, leftovers)
    return spaces
  }
  // What the next real run will clean up is said, never hidden (killed ensureScratch/import calls).
  const shown = leftovers.filter((found) => found.removable && !found.file.startsWith(bookkeepingDir(root)))
  if (shown.length > 0) warnings.push(`${shown.length} temporary director${shown.length === 1 ? 'y' : 'ies'} left by interrupted ensureScratch/importScratch calls or deletions; the next scratch gc removes ${shown.length === 1 ? 'it' : 'them'}`)
  return spaces
}

/** Sweeps compact only past this much live log, so hook-only users' logs stay small. */
const SWEEP_COMPACT_AT_BYTES = 256 * 1024

function liveLogBytes(root: string): number {
  try {
    return fs.statSync(accessLogPath(root)).size
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return 0
    throw err
  }
}

/**
 * The history a full run compacts from: the one it read with its records; for a quiet run (see
 * `StoreRun.quiet`), the compacted log read again with them, but only when compacting would change
 * it (`leavesRecordsToDrop`); otherwise null, nothing to compact.
 */
function historyToCompact(run: StoreRun, world: World, kept: ReadonlySet<string>): History | null {
  const { history } = run.state
  if (history.records) return history
  if (!run.quiet || !leavesRecordsToDrop(history, world, kept)) return null
  return readHistory(run.root, Date.now(), { compactedOnly: true })
}

/**
 * Whether compacting `history` would change the log: its compacted part was not read from the
 * folded snapshot (none, or not this file's: compaction writes one), or it holds records of a
 * space not `kept` on disk or of a project that is gone. Otherwise compaction would write the
 * same log again, which was most of a warm gc's time.
 */
function leavesRecordsToDrop(history: History, world: World, kept: ReadonlySet<string>): boolean {
  if (!history.fromSnapshot) return true
  for (const id of history.spaces.keys()) if (!kept.has(id)) return true
  for (const dir of history.projects.keys()) if (world.projectStatus.get(dir) === 'gone') return true
  return false
}

/**
 * Writes the state only after deleting, so a full disk never stops a run from freeing space; a
 * write that still fails for lack of space leaves the previous state, which the next run reads.
 */
function save(run: StoreRun, judged: Judged, reports: SpaceReport[], olderSegments: string[], opts: StoreRunOptions): void {
  const { root, state, start } = run
  const { world } = judged
  // The spaces a full run leaves on disk (all it listed but those it deleted), by id.
  const kept = new Set(opts.kind === 'full' ? reports.filter((r) => r.action !== 'deleted').map((r) => spaceId(r.owner, r.key)) : [])
  try {
    if (judged.spaces !== null) {
      if (opts.kind === 'full') for (const id of Object.keys(state.marks)) if (!kept.has(id)) delete state.marks[id]
      // Unchanged marks (a gc or sweep that marked and deleted nothing) are not written again.
      if (state.marksAsRead !== JSON.stringify(state.marks)) saveOrphanMarks(root, { version: 1, marks: state.marks })
    }
    // A sweep after an install that changed no names has nothing to tell the next run (registryChanged).
    // A sweep that changed some projects writes just those, as the registry's delta; a full gc, or a
    // run that warned (a stray entry dropped, a rebuilt file), writes the file whole and folds it,
    // unless the full gc changed nothing in a file with no delta to fold (a gc again after one).
    const changed = registryChanged(state.registry, world.registry)
    if (run.warnings.length > 0 || (opts.kind === 'full' && (changed || !isWholeFile(state.registry)))) saveRegistry(root, world.registry)
    else if (changed && opts.kind === 'sweep') saveRegistry(root, world.registry, state.registry)
    if (opts.kind === 'full') {
      const history = historyToCompact(run, world, kept)
      if (history !== null) {
        // Spaces on disk now, not at the scan: one re-created since keeps its records.
        const present = new Set(scanSpaces(root).map((space) => spaceId(space.owner, space.key)))
        // Records of projects that are gone keep nothing alive; one appended since the run started stays.
        const forget = (record: LogRecord): boolean => record.project !== null && world.projectStatus.get(record.project) === 'gone' &&
          !(Date.parse(record.time) >= start.wallMs)
        const compacted = compactHistory(root, history, (usage) => present.has(usage.id) || usage.lastAccess >= start.wallMs, olderSegments, forget)
        if (compacted && run.rotated !== null) retireSegment(root, run.rotated, history.readTo.get(run.rotated) ?? 0)
      }
    } else if (state.history.records && liveLogBytes(root) > SWEEP_COMPACT_AT_BYTES) {
      compactLog(root, state.history, start.wallMs)
    }
  } catch (err) {
    if (!isErrno(err, 'ENOSPC', 'EDQUOT')) throw err
    run.warnings.push(`the disk is full (${err.code}): the store's state was not updated; the next run catches up`)
  }
  opts.finishTrash?.(run)
}
