/**
 * The outcome of the last automatic sweep (the pnpm hook, or `scratch gc --project` from the
 * npm script), kept in `<root>/.scratch/last-sweep.json` so that `scratch status` can show it:
 * npm hides a lifecycle script's output, so a warning printed there is never seen (see
 * docs/design.md, "The last sweep").
 */
import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { bookkeepingDir } from '../runtime/layout'
import { currentRoot } from '../runtime/root'
import { formatHold } from '../runtime/store-mark'
import { readJsonFile, sealedJson, withoutFsync, writeFileAtomic, type JsonRead } from '../store/atomic'
import type { GcReport } from './report'

const LAST_SWEEP_FILE = 'last-sweep.json'
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

export function lastSweepPath(root: string): string {
  return path.join(bookkeepingDir(root), LAST_SWEEP_FILE)
}

/** The record of a sweep's report (a failed deletion is a warning too). */
export function sweepRecord(project: string, report: GcReport | null, warnings: string[], now: number): LastSweep {
  const problems = [...(report?.warnings ?? []), ...warnings]
  for (const space of report?.spaces ?? []) {
    if (space.action === 'failed') problems.push(`could not delete ${space.path}: ${space.reason}`)
  }
  return {
    at: new Date(now).toISOString(),
    project,
    deleted: report?.spaces.filter((space) => space.action === 'deleted').length ?? 0,
    freedBytes: report?.freedBytes ?? 0,
    warnings: problems,
  }
}

/**
 * Writes the record atomically into an existing, marked store: only where its bookkeeping
 * directory already is a real directory. It never creates one — a root that is not a store
 * (another program's directory, which the sweep refused) must be left exactly as it was, and
 * a store that could not be made has nowhere to keep it. A file of a newer version, or any file
 * of a store of a newer format, is never replaced (docs/design.md, "State versions"). Never throws: it runs inside installs; returns
 * whether it was written.
 */
export function recordLastSweep(record: LastSweep, root: string = currentRoot()): boolean {
  try {
    if (fs.lstatSync(bookkeepingDir(root), { throwIfNoEntry: false })?.isDirectory() !== true) return false
    if (formatHold(root) !== undefined || readFile(root).state === 'newer') return false
    // Informative only, and written inside installs: never wait for the disk's write-back queue.
    withoutFsync(() => writeFileAtomic(lastSweepPath(root), sealedJson({ version: LAST_SWEEP_VERSION, ...record })))
    return true
  } catch {
    return false
  }
}

function readFile(root: string): JsonRead<LastSweep> {
  return readJsonFile(lastSweepPath(root), isLastSweep, [LAST_SWEEP_VERSION])
}

/** Why the store must be left alone because of this file (a newer version wrote it), or undefined. */
export function lastSweepHold(root: string): string | undefined {
  const read = readFile(root)
  return read.state === 'newer' ? read.reason : undefined
}

function isLastSweep(value: unknown): value is LastSweep & { checksum?: string } {
  const v = value as Partial<LastSweep> | null
  return v !== null && typeof v === 'object' && typeof v.at === 'string' && typeof v.project === 'string' &&
    Number.isSafeInteger(v.deleted) && Number.isSafeInteger(v.freedBytes) && Array.isArray(v.warnings) && v.warnings.every((w) => typeof w === 'string')
}

/** The last recorded sweep, or null when none was recorded (or the file is damaged: it is only informative). */
export function readLastSweep(root: string = currentRoot()): LastSweep | null {
  try {
    const read = readFile(root)
    if (read.state !== 'ok') return null
    const { at, project, deleted, freedBytes, warnings } = read.value
    return { at, project, deleted, freedBytes, warnings }
  } catch (err) {
    if (isErrno(err)) return null
    throw err
  }
}
