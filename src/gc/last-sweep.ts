/**
 * The outcome of the last automatic sweep (the pnpm hook, or `scratch gc --project` from the
 * npm script), kept in `<root>/.scratch/last-sweep.json` so that `scratch status` can show it:
 * npm hides a lifecycle script's output, so a warning printed there is never seen (see
 * docs/design.md, "The last sweep").
 */
import { currentRoot } from '../runtime/root'
import { outcomeFile, reportOutcome } from './outcome-file'
import type { GcReport } from './report'

/** The file's version: written since it carries one; a file without one (the first writer's) is version 1 too. */
const LAST_SWEEP_VERSION = 1

/** What `scratch status --json` shows as `lastSweep`. */
export interface LastSweep {
  /** When the sweep ran (ISO). */
  at: string
  /** The project it swept for. */
  project: string
  /** Spaces it deleted. */
  deleted: number
  freedBytes: number
  /** Everything that went wrong or was skipped, one line each. */
  warnings: string[]
}

function isLastSweep(value: unknown): value is LastSweep {
  const v = value as Partial<LastSweep> | null
  return v !== null && typeof v === 'object' && typeof v.at === 'string' && typeof v.project === 'string' &&
    Number.isSafeInteger(v.deleted) && Number.isSafeInteger(v.freedBytes) && Array.isArray(v.warnings) && v.warnings.every((w) => typeof w === 'string')
}

const FILE = outcomeFile('last-sweep.json', LAST_SWEEP_VERSION, isLastSweep,
  ({ at, project, deleted, freedBytes, warnings }) => ({ at, project, deleted, freedBytes, warnings }))

export function lastSweepPath(root: string): string {
  return FILE.path(root)
}

/** The record of a sweep's report (a failed deletion is a warning too). */
export function sweepRecord(project: string, report: GcReport | null, warnings: string[], now: number): LastSweep {
  return { at: new Date(now).toISOString(), project, ...reportOutcome(report, warnings) }
}

/** Records a sweep's outcome (see `outcomeFile`); returns whether it was written. Never throws: it runs inside installs. */
export function recordLastSweep(record: LastSweep, root: string = currentRoot()): boolean {
  return FILE.write(root, record)
}

/** Why the store must be left alone because of this file (a newer version wrote it), or undefined. */
export function lastSweepHold(root: string): string | undefined {
  return FILE.hold(root)
}

/** The last recorded sweep, or null when none was recorded (or the file is damaged: it is only informative). */
export function readLastSweep(root: string = currentRoot()): LastSweep | null {
  return FILE.read(root)
}
