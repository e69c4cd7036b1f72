import { currentRoot } from '../runtime/root'
import { scanSpaces } from '../runtime/scan'
import { assertStore, formatHold } from '../runtime/store-mark'
import { acquireLock } from '../store/lock'
import type { GcReport } from './report'
import { budgetFromEnv } from './budget'
import { recordLastGc } from './last-gc'
import { withStoreRun } from './store-run'
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
  /**
   * The store's size budget in bytes (`--max-size`): after the rules, least recently used spaces
   * go until the store fits. Undefined: `SCRATCHSPACE_MAX_SIZE` if set; null: no budget.
   */
  maxSizeBytes?: number | null
  /** How long to wait for another run's lock before `ERR_SCRATCH_LOCKED`; default 10 s. */
  lockWaitMs?: number
  /** Called as spaces are judged (a progress indicator for people). */
  onProgress?: (done: number, total: number) => void
  /** Started by the periodic upkeep, not by a person (kept in the run's record). */
  automatic?: boolean
  /**
   * Size the spaces that are kept too; default true. `scratch gc` without `--json` passes false:
   * it shows sizes only of what it deletes, and sizing 10,000 kept spaces is most of a warm run
   * (docs/design.md, "Performance"). Unsized spaces report `bytes: 0, sized: false`.
   */
  sizeKept?: boolean
}

/**
 * A full gc over every known project (docs/design.md, "The gc rules"): folds the access log, judges every project and
 * space, deletes the orphaned ones (after the grace period), then least recently used ones while
 * the store is over `maxSizeBytes`, and returns what it saw and did.
 * `dryRun` is the same traversal without the lock or any change. Throws `ERR_SCRATCH_LOCKED` when
 * another run holds the store for longer than `lockWaitMs`.
 */
export async function runGc(opts: GcOptions = {}): Promise<GcReport> {
  // A bad budget is a usage error before anything is read or touched.
  const budgetBytes = opts.maxSizeBytes === undefined ? budgetFromEnv() : opts.maxSizeBytes ?? undefined
  const root = opts.root ?? currentRoot()
  const requestedDryRun = opts.dryRun ?? false
  // Another program's directory is refused before anything is read or written; an empty one is an empty store.
  if (assertStore(root) !== 'marked') return { dryRun: requestedDryRun, freedBytes: 0, projects: [], spaces: [], warnings: [] }
  // A store of a newer format is judged but never changed: this version may misread its state.
  const formatProblem = formatHold(root)
  const dryRun = requestedDryRun || formatProblem !== undefined
  const lock = dryRun ? null : await acquireLock(root, { waitMs: opts.lockWaitMs ?? 10_000, command: 'scratch gc' })
  const result = withStoreRun(root, { lock, dryRun, now: opts.now, kind: 'full', formatProblem }, (run) => ({
    world: assessWorld(run.state.registry, run.state.history, run.now, undefined, undefined, run.dryRun ? -Infinity : run.start.fsMs),
    // The full run listed the store once already, for its leftovers too.
    spaces: run.listed ?? scanSpaces(root),
    policy: {
      graceMs: opts.graceMs ?? 0, maxAgeMs: opts.maxAgeMs, budgetBytes,
      // A budget needs every size; otherwise only a report that shows them does.
      deadline: Infinity, sizeKept: budgetBytes !== undefined || (opts.sizeKept ?? true), removeNowUpTo: Infinity, onProgress: opts.onProgress,
    },
  }), (run, { world }, { reports, freedBytes }) => {
    const report = { dryRun: requestedDryRun, freedBytes, projects: world.projects, spaces: reports, warnings: run.warnings }
    // After the save step of a run that changed the store: it records that a full gc ran, and its outcome.
    if (!run.dryRun) recordLastGc(root, report, run.now, opts.automatic)
    return report
  })
  // A held lock is never refused, so a full run always runs.
  if (!result.ran) throw new Error(`gc run did not run (${result.why})`)
  return result.value
}
