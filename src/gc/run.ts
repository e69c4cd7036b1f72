import type { LogRecord } from '../runtime/access-log'
import { bookkeepingDir } from '../runtime/layout'
import { currentRoot } from '../runtime/root'
import { scanSpaces } from '../runtime/scan'
import { assertStore, formatHold } from '../runtime/store-mark'
import { prepareStoreRoot } from '../runtime/store-root'
import { compactHistory, retireSegment, rotateLog, spacesTouchedSince } from '../store/history'
import { acquireLock } from '../store/lock'
import { saveOrphanMarks } from '../store/orphans'
import { saveRegistry } from '../store/registry'
import type { GcReport } from './report'
import { markRunStart } from './clock'
import { emptyTrash, findLeftovers, loadState, removeStaleTemps } from './state'
import { isErrno } from '../errors'
import { sweepSpaces } from './sweep'
import { assessWorld } from './world'

export interface GcOptions {
  /** Store root; default: the current one (`SCRATCHSPACE_DIR` or the platform default). */
  root?: string
  /** The policy clock (epoch ms) used for ages; default now. The race guard always uses the real clock. */
  now?: number
  /** Judge and report, change nothing (no lock, no log rotation). */
  dryRun?: boolean
  /** How long a space must stay orphaned before it is deleted; default 0. */
  graceMs?: number
  /** Also delete live spaces whose last access is older than this. */
  maxAgeMs?: number
  /** How long to wait for another run's lock before `ERR_SCRATCH_LOCKED`; default 10 s. */
  lockWaitMs?: number
  /** Called as spaces are judged (a progress indicator for people). */
  onProgress?: (done: number, total: number) => void
  /**
   * Size the spaces that are kept too; default true. `scratch gc` without `--json` passes false:
   * it shows sizes only of what it deletes, and sizing 10,000 kept spaces is most of a warm run
   * (docs/design.md, "Performance"). Unsized spaces report `bytes: 0, sized: false`.
   */
  sizeKept?: boolean
}

/**
 * A full gc over every known project (docs/design.md, "The gc rules"): folds the access log, judges every project and
 * space, deletes the orphaned ones (after the grace period) and returns what it saw and did.
 * `dryRun` is the same traversal without the lock or any change. Throws `ERR_SCRATCH_LOCKED` when
 * another run holds the store for longer than `lockWaitMs`.
 */
export async function runGc(opts: GcOptions = {}): Promise<GcReport> {
  const root = opts.root ?? currentRoot()
  const requestedDryRun = opts.dryRun ?? false
  // Another program's directory is refused before anything is read or written; an empty one is an empty store.
  if (assertStore(root) !== 'marked') return { dryRun: requestedDryRun, freedBytes: 0, projects: [], spaces: [], warnings: [] }
  // A store of a newer format is judged but never changed: this version may misread its state.
  const formatProblem = formatHold(root)
  const dryRun = requestedDryRun || formatProblem !== undefined
  const lock = dryRun ? null : await acquireLock(root, { waitMs: opts.lockWaitMs ?? 10_000, command: 'scratch gc' })
  try {
    if (!dryRun) prepareStoreRoot(root)
    const start = dryRun ? { wallMs: Date.now(), fsMs: Infinity } : markRunStart(root)
    const runStart = start.wallMs
    const now = opts.now ?? runStart
    const warnings: string[] = []
    if (!dryRun) {
      const left = emptyTrash(root)
      if (left.length > 0) warnings.push(`could not empty ${left.length} trash entr${left.length === 1 ? 'y' : 'ies'}; retried next run`)
      removeStaleTemps(root, now)
    } else {
      // What the next real run will clean up is said, never hidden (killed ensureScratch/import calls).
      const leftovers = findLeftovers(root, now).filter((found) => found.removable && !found.file.startsWith(bookkeepingDir(root)))
      if (leftovers.length > 0) warnings.push(`${leftovers.length} temporary director${leftovers.length === 1 ? 'y' : 'ies'} left by interrupted ensureScratch/importScratch calls or deletions; the next scratch gc removes ${leftovers.length === 1 ? 'it' : 'them'}`)
    }
    const rotation = dryRun ? { olderSegments: [], rotated: null } : rotateLog(root)
    const state = loadState(root, { except: rotation.olderSegments })
    warnings.push(...state.warnings)
    if (formatProblem !== undefined) {
      warnings.push(`${formatProblem}; this run deletes nothing`)
      state.holdReason = [state.holdReason, formatProblem].filter((hold) => hold !== undefined).join('; ')
    }
    const world = assessWorld(state.registry, state.history, now)
    const spaces = scanSpaces(root)
    const { reports, freedBytes } = sweepSpaces(spaces, state.history, {
      root, runStart, runStartFs: start.fsMs, dryRun, now, graceMs: opts.graceMs ?? 0, maxAgeMs: opts.maxAgeMs,
      liveNames: world.liveNames, projectStatus: world.projectStatus, marks: state.marks, holdReason: state.holdReason,
      touchedSinceStart: () => spacesTouchedSince(root, runStart, rotation.rotated, state.history),
      deadline: Infinity, sizeKept: opts.sizeKept ?? true, removeNowUpTo: Infinity,
      onProgress: opts.onProgress,
    })
    if (!dryRun) {
      const onDisk = new Set(reports.filter((r) => r.action !== 'deleted').map((r) => `${r.owner ?? '_global'}/${r.key}`))
      for (const id of Object.keys(state.marks)) if (!onDisk.has(id)) delete state.marks[id]
      // State is written only after deleting, so a full disk never stops the run from freeing space;
      // a write that still fails leaves the previous state, which the next run reads again.
      try {
        saveRegistry(root, world.registry)
        saveOrphanMarks(root, { version: 1, marks: state.marks })
        // Spaces on disk now, not at the scan: one re-created since keeps its records.
        const present = new Set(scanSpaces(root).map((space) => `${space.owner ?? '_global'}/${space.key}`))
        // Records of projects that are gone keep nothing alive; one appended since the run started stays.
        const forget = (record: LogRecord): boolean => record.project !== null && world.projectStatus.get(record.project) === 'gone' &&
          !(Date.parse(record.time) >= runStart)
        compactHistory(root, state.history, (usage) => present.has(usage.id) || usage.lastAccess >= runStart, rotation.olderSegments, forget)
        if (rotation.rotated !== null) retireSegment(root, rotation.rotated, state.history.readTo.get(rotation.rotated) ?? 0)
      } catch (err) {
        if (!isErrno(err, 'ENOSPC', 'EDQUOT')) throw err
        warnings.push(`the disk is full (${err.code}): the store's state was not updated; the next run catches up`)
      }
    }
    return { dryRun: requestedDryRun, freedBytes, projects: world.projects, spaces: reports, warnings }
  } finally {
    lock?.release()
  }
}
