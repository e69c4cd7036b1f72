/**
 * The record every full gc keeps of itself in `<root>/.scratch/last-gc.json`, for `scratch
 * status` and the periodic upkeep's schedule (docs/design.md, "Periodic upkeep").
 */
import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { UPKEEP_STAMP } from '../runtime/compaction-trigger'
import { bookkeepingDir } from '../runtime/layout'
import { currentRoot } from '../runtime/root'
import { readJsonFile, sealedJson, withoutFsync, writeFileAtomic, type JsonRead } from '../store/atomic'
import type { GcReport } from './report'

export const LAST_GC_FILE = 'last-gc.json'
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

export function lastGcPath(root: string): string {
  return path.join(bookkeepingDir(root), LAST_GC_FILE)
}

/**
 * Records a finished full gc (not a dry run): writes `last-gc.json` atomically and moves the
 * upkeep stamp to `now`, so the runtime's next upkeep is 7 days after any full gc. Only into an
 * existing bookkeeping directory; never throws (the run itself succeeded).
 */
export function recordLastGc(root: string, report: GcReport, now: number, automatic = false): void {
  const problems = [...report.warnings]
  for (const space of report.spaces) if (space.action === 'failed') problems.push(`could not delete ${space.path}: ${space.reason}`)
  const record: LastGc = {
    at: new Date(now).toISOString(),
    deleted: report.spaces.filter((space) => space.action === 'deleted').length,
    freedBytes: report.freedBytes,
    warnings: problems,
    automatic,
  }
  try {
    if (fs.lstatSync(bookkeepingDir(root), { throwIfNoEntry: false })?.isDirectory() !== true) return
    // A newer version's file is never replaced (docs/design.md, "State versions").
    if (readFile(root).state === 'newer') return
    withoutFsync(() => writeFileAtomic(lastGcPath(root), sealedJson({ version: LAST_GC_VERSION, ...record })))
    const stamp = path.join(bookkeepingDir(root), UPKEEP_STAMP)
    fs.closeSync(fs.openSync(stamp, 'a', 0o600))
    fs.utimesSync(stamp, now / 1000, now / 1000)
  } catch {
    // Informative only: the next full gc writes it again.
  }
}

function isLastGc(value: unknown): value is LastGc & { checksum?: string } {
  const v = value as Partial<LastGc> | null
  return v !== null && typeof v === 'object' && typeof v.at === 'string' && !Number.isNaN(Date.parse(v.at)) &&
    Number.isSafeInteger(v.deleted) && Number.isSafeInteger(v.freedBytes) && typeof v.automatic === 'boolean' &&
    Array.isArray(v.warnings) && v.warnings.every((w) => typeof w === 'string')
}

function readFile(root: string): JsonRead<LastGc> {
  return readJsonFile(lastGcPath(root), isLastGc, [LAST_GC_VERSION])
}

/** Why the store must be left alone because of this file (a newer version wrote it), or undefined. */
export function lastGcHold(root: string): string | undefined {
  const read = readFile(root)
  return read.state === 'newer' ? read.reason : undefined
}

/** The last recorded full gc, or null when none was recorded (or the file is damaged: it is only informative). */
export function readLastGc(root: string = currentRoot()): LastGc | null {
  try {
    const read = readFile(root)
    if (read.state !== 'ok') return null
    const { at, deleted, freedBytes, warnings, automatic } = read.value
    return { at, deleted, freedBytes, warnings, automatic }
  } catch (err) {
    if (isErrno(err)) return null
    throw err
  }
}

