import path from 'node:path'
import { ScratchError } from '../errors'
import { appendRecord, projectRecord } from '../runtime/access-log'
import { requestCompaction } from '../runtime/compaction-trigger'
import { spaceId } from '../runtime/layout'
import { currentRoot } from '../runtime/root'
import { scanSpaces, spaceAt, type SpaceEntry } from '../runtime/scan'
import { formatHold, storeProblem } from '../runtime/store-mark'
import { prepareStoreRoot } from '../runtime/store-root'
import { lockedError, lockPath } from '../store/lock'
import { withoutFsync } from '../store/atomic'
import type { ProjectEntry } from '../store/registry'
import { checkProject } from './projects'
import type { GcReport } from './report'
import { finishInBackground, gcBundleFile } from './background'
import { emptyTrash } from './state'
import { budgetFromEnv } from './budget'
import { requestBudgetGc } from './budget-worker'
import { withStoreRun } from './store-run'
import { assessWorld } from './world'

export interface ScopedSweepOptions {
  /** The project that just installed or removed packages (absolute). */
  projectDir: string
  /** Its package names after the change (lockfile ∪ own importer names); read from disk when omitted. */
  names?: Iterable<string>
  /** Who registered the project, kept in the registry. */
  source?: ProjectEntry['source']
  root?: string
  now?: number
  dryRun?: boolean
  /** Register only; sweep nothing (`SCRATCHSPACE_AUTO_GC=0`). */
  registerOnly?: boolean
  /** How long a space must stay orphaned before it is deleted; default 0. */
  graceMs?: number
  /**
   * Time to spend sizing and removing what the sweep deletes, from the call; the rest waits in
   * the trash for a detached emptier or the next gc. Default 300 ms, so the whole sweep stays
   * well within its 1 s bound.
   */
  removeBudgetMs?: number
  /**
   * The store's size budget in bytes; undefined: `SCRATCHSPACE_MAX_SIZE` if set; null: none. The
   * sweep sizes nothing it keeps, so it hands the budget to a detached full gc (budget-worker.ts).
   */
  maxSizeBytes?: number | null
  /**
   * After removing for this many milliseconds, hand what is left of the deleted spaces to a
   * worker thread that removes it after the sweep returns (docs/design.md, "Removing after the
   * sweep"): for a host that goes on running and waits for its threads before it exits, as pnpm
   * 10/11 do with their hooks. The spaces are moved out of sight before the sweep returns either
   * way. Default: no handover, everything within the sweep.
   */
  removeLaterAfterMs?: number
}

/** Default time for sizing and removing, from the call: leaves most of the 1 s bound for the rest. */
const REMOVE_BUDGET_MS = 300

/** Spaces with more entries than this go to the trash for the background emptier (see SweepPolicy). */
const REMOVE_NOW_UP_TO = 2_000

/** Past this much log to read, the sweep defers to a background compaction (see docs/design.md, "Store format"). */
const SWEEP_MAX_LOG_BYTES = 32 * 1024 * 1024

/**
 * The sweep the install hooks run (docs/design.md, "The gc rules"): records `projectDir` with its new
 * `names`, then judges only the spaces of packages the project kept alive before and no longer
 * lists, checking every other project through its cached names. Never throws for store
 * problems: a locked store skips the sweep (registration still lands in the access log), and
 * other problems come back as warnings. Returns within 1 s whatever the sizes: it sizes only
 * what it deletes, within `removeBudgetMs`, removes small spaces at once and leaves the rest in
 * the trash for a detached emptier or the next gc (docs/design.md, "The sweep's time bound").
 */
export function scopedSweep(opts: ScopedSweepOptions): GcReport {
  // No fsync: one can wait minutes for a busy disk's write-back queue (see withoutFsync).
  return withoutFsync(() => sweep(opts))
}

function sweep(opts: ScopedSweepOptions): GcReport {
  const root = opts.root ?? currentRoot()
  const called = Date.now()
  const now = opts.now ?? called
  const dryRun = opts.dryRun ?? false
  const projectDir = path.resolve(opts.projectDir)
  const report: GcReport = { dryRun, freedBytes: 0, projects: [], spaces: [], warnings: [] }
  // Everything that grows with the sizes involved (sizing, removing) stops here (docs/design.md).
  const deadline = called + (opts.removeBudgetMs ?? REMOVE_BUDGET_MS)

  let names: string[]
  if (opts.names === undefined) {
    const state = checkProject(projectDir, undefined, now)
    report.projects.push(state.report)
    if (state.report.status !== 'present') {
      report.warnings.push(`cannot read the lockfile of ${projectDir} (${state.report.reason ?? state.report.status}); nothing swept`)
      return report
    }
    names = [...state.names]
  } else {
    names = [...new Set(opts.names)]
  }
  const notStore = storeProblem(root)
  if (notStore !== undefined) {
    report.warnings.push(`${notStore}; sweep skipped`)
    return report
  }
  const formatProblem = formatHold(root)
  if (!dryRun && prepareStoreRoot(root)) {
    appendRecord(root, projectRecord(projectDir, called))
  }
  if (formatProblem !== undefined) {
    report.warnings.push(`${formatProblem}; sweep skipped`)
    return report
  }
  // With a background emptier at hand, what earlier runs left (of unknown size) is its job.
  const finishTrash = (): void => {
    const background = !opts.registerOnly && gcBundleFile() !== null
    const left = emptyTrash(root, background ? 0 : deadline)
    if (background) finishInBackground(root, left, now)
  }
  const result = withStoreRun(root, { lock: 'try', dryRun, now, kind: 'sweep', maxLogBytes: SWEEP_MAX_LOG_BYTES, finishTrash }, (run) => {
    // Damaged log lines are the full gc's to report; an install hook stays quiet about them.
    const { state } = run
    const newNames = new Set(names)
    const previous = new Set(state.registry.projects[projectDir]?.names ?? [])
    for (const usage of state.history.spaces.values()) {
      if (!usage.projects.has(projectDir)) continue
      if (usage.owner !== null) previous.add(usage.owner)
      for (const caller of usage.callers.keys()) previous.add(caller)
    }
    const candidates = new Set([...previous].filter((name) => !newNames.has(name)))
    const entry: ProjectEntry = { names: [...newNames].sort(), lockfiles: [], checkedAt: new Date(now).toISOString(), source: opts.source ?? 'hook' }
    const policy = { graceMs: opts.graceMs ?? 0, deadline, sizeKept: false, removeNowUpTo: REMOVE_NOW_UP_TO, removeLaterAfterMs: opts.removeLaterAfterMs }
    const sweeping = candidates.size > 0 && opts.registerOnly !== true
    const spaces = new Map<string, SpaceEntry>()
    if (sweeping) {
      for (const owner of candidates) for (const space of scanSpaces(root, owner)) spaces.set(space.path, space)
      for (const usage of state.history.spaces.values()) {
        for (const caller of usage.callers.keys()) {
          if (!candidates.has(caller)) continue
          // Only an `<owner>/<key>` space that exists inside the store, reached through real directories.
          const space = spaceAt(root, usage.id)
          if (space !== null) spaces.set(space.path, space)
          break
        }
      }
    }
    // The verdicts ask only about these spaces' owners and callers (see assessWorld's `asked`).
    const asked = new Set<string>()
    for (const space of spaces.values()) {
      if (space.owner !== null) asked.add(space.owner)
      for (const caller of state.history.spaces.get(spaceId(space.owner, space.key))?.callers.keys() ?? []) asked.add(caller)
    }
    const world = assessWorld(state.registry, state.history, now, new Map([[projectDir, entry]]), asked, run.dryRun ? -Infinity : run.start.fsMs)
    return { world, spaces: sweeping ? [...spaces.values()] : null, policy }
  }, (run, { world }, swept) => ({ ...report, projects: world.projects, spaces: swept.reports, freedBytes: swept.freedBytes, warnings: [...report.warnings, ...run.warnings] }))
  if (result.ran) {
    if (!dryRun && opts.registerOnly !== true) applyBudgetLater(root, opts.maxSizeBytes, result.value.warnings)
    return result.value
  }
  if (result.why === 'locked') {
    report.warnings.push(`${lockedError(lockPath(root)).message}; sweep skipped, the next gc will catch up`)
    return report
  }
  if (result.why === 'newer-writer') {
    // Records or state of a newer version: the sweep is skipped, as for a newer format.
    report.warnings.push(...result.warnings)
    return report
  }
  // A log this large (hook-only users before compaction existed) would take seconds to read inside an
  // install: the sweep is deferred to a background compaction (once per 10 minutes at most), after
  // which the next one is fast. When the compacted log alone is that large, compaction shrinks it
  // only as far as spaces went away; until it is under the bound, `scratch gc` is what sweeps.
  const { total, compacted } = result.history
  report.warnings.push(compacted > SWEEP_MAX_LOG_BYTES
    ? `the access history holds ${Math.round(compacted / 1048576)} MiB of compacted uses, more than an install-time sweep reads; it is being compacted in the background, and until it is under ${SWEEP_MAX_LOG_BYTES / 1048576} MiB \`scratch gc\` sweeps this store`
    : `the access log is ${Math.round(total / 1048576)} MiB; it is being compacted in the background and this sweep is left to the next one`)
  requestCompaction(root)
  return report
}

/** Hands a size budget to a detached full gc (the lock is released by now); a bad one is a warning, never an install failure. */
function applyBudgetLater(root: string, given: number | null | undefined, warnings: string[]): void {
  let budget: number | undefined
  try {
    budget = given === undefined ? budgetFromEnv() : given ?? undefined
  } catch (err) {
    if (!(err instanceof ScratchError)) throw err
    warnings.push(`${err.message}; the size budget is not applied`)
    return
  }
  if (budget !== undefined) requestBudgetGc(root, budget)
}
