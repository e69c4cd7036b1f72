/**
 * The record every full gc keeps of itself in `<root>/.scratch/last-gc.json`, for `scratch
 * status` and the periodic upkeep's schedule (docs/design.md, "Periodic upkeep").
 */
import fs from 'node:fs'
import path from 'node:path'
import { UPKEEP_STAMP } from '../runtime/compaction-trigger'
import { bookkeepingDir } from '../runtime/layout'
import { currentRoot } from '../runtime/root'
import { outcomeFile, reportOutcome } from './outcome-file'
import type { GcReport } from './report'

/** The file's version (docs/design.md, "State versions"). */
const LAST_GC_VERSION = 1

/** What the last full gc did (`scratch status`). */
export interface LastGc {
  /** When it ran (ISO). */
  at: string
  /** Spaces it deleted. */
  deleted: number
  freedBytes: number
  /** Everything that went wrong or was skipped, one line each. */
  warnings: string[]
  /** Started by the runtime's periodic upkeep rather than by a person. */
  automatic: boolean
}

function isLastGc(value: unknown): value is LastGc {
  const v = value as Partial<LastGc> | null
  return v !== null && typeof v === 'object' && typeof v.at === 'string' && !Number.isNaN(Date.parse(v.at)) &&
    Number.isSafeInteger(v.deleted) && Number.isSafeInteger(v.freedBytes) && typeof v.automatic === 'boolean' &&
    Array.isArray(v.warnings) && v.warnings.every((w) => typeof w === 'string')
}

const FILE = outcomeFile('last-gc.json', LAST_GC_VERSION, isLastGc,
  ({ at, deleted, freedBytes, warnings, automatic }) => ({ at, deleted, freedBytes, warnings, automatic }))

export function lastGcPath(root: string): string {
  return FILE.path(root)
}

/**
 * Records a finished full gc (not a dry run): writes `last-gc.json` atomically and moves the
 * upkeep stamp to `now`, so the runtime's next upkeep is 7 days after any full gc. Only into an
 * existing bookkeeping directory, never over a newer file (see `outcomeFile`); never throws (the
 * run itself succeeded).
 */
export function recordLastGc(root: string, report: GcReport, now: number, automatic = false): void {
  const record: LastGc = { at: new Date(now).toISOString(), ...reportOutcome(report), automatic }
  if (!FILE.write(root, record)) return
  try {
    const stamp = path.join(bookkeepingDir(root), UPKEEP_STAMP)
    fs.closeSync(fs.openSync(stamp, 'a', 0o600))
    fs.utimesSync(stamp, now / 1000, now / 1000)
  } catch {
    // Informative only: the next full gc moves it again.
  }
}

/** Why the store must be left alone because of this file (a newer version wrote it), or undefined. */
export function lastGcHold(root: string): string | undefined {
  return FILE.hold(root)
}

/** The last recorded full gc, or null when none was recorded (or the file is damaged: it is only informative). */
export function readLastGc(root: string = currentRoot()): LastGc | null {
  return FILE.read(root)
}
