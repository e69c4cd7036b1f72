import { EARLIEST_TIME_MS, isProjectDir } from '../runtime/access-log'
import { parseSpaceId } from '../runtime/layout'
import { isPackageName } from '../runtime/names'
import { RECORD_SHAPES } from '../runtime/record-shape'
import type { SpaceUsage } from './history'

/**
 * The folded history's file format (docs/design.md, "The folded history"): the fold of a
 * compacted log in columns, and the checks that make a snapshot hold only what a set of sound
 * records folds to. Which log a snapshot stands for, and when, is `history-snapshot.ts`'s.
 */
export const SNAPSHOT_VERSION = 1

/** What the fold of one space holds: its usage, with no records. */
export type FoldedSpace = Omit<SpaceUsage, 'latest'>

/** The fold of a whole compacted log. */
export interface FoldedLog<S extends FoldedSpace = FoldedSpace> {
  spaces: S[]
  /** Project directory → last time a record named it. */
  projects: Map<string, number>
  /** Where the fold ended: the log's size (it holds only complete lines this package wrote). */
  end: number
}

/**
 * The compacted log's identity as `fstat` gives it (nanoseconds where the file system has them),
 * and the digest of its bytes: inodes are reused and some file systems stamp whole seconds, so the
 * stat alone can match a file another version rewrote.
 */
export interface LogIdentity { dev: string; ino: string; size: string; mtimeNs: string; ctimeNs: string; digest: number }

// On disk, in columns (one JSON array per field, so the parse makes few objects): names and
// directories are tables; per space its id, last access and last unattributed use (-1 for none);
// `callers` and `projects` hold, space after space, a count n and n pairs (table index, time);
// `seen` the pairs (directory index, time) of every project the records name. The owner is the
// space id's (a sound record's owner agrees with its id).
export interface SnapshotFile {
  version: number
  /**
   * The writer's `RECORD_SHAPES`. Absent in snapshots of versions before it was written, all of
   * which understood no record this one does not.
   */
  shapes?: string
  log: LogIdentity
  end: number
  maxTime: number
  names: string[]
  dirs: string[]
  ids: string[]
  last: number[]
  unattributed: number[]
  callers: number[]
  projects: number[]
  seen: number[]
}

/** `folded` as the snapshot file of the log `log` identifies, `end` bytes long. */
export function encodeSnapshot(folded: Omit<FoldedLog, 'end'>, log: LogIdentity, end: number): SnapshotFile {
  const names = new Map<string, number>()
  const dirs = new Map<string, number>()
  let maxTime = 0
  const pairs = (out: number[], map: Map<string, number>, table: Map<string, number>): void => {
    for (const [key, time] of map) {
      let at = table.get(key)
      if (at === undefined) table.set(key, at = table.size)
      out.push(at, time)
      if (time > maxTime) maxTime = time
    }
  }
  const ids: string[] = []
  const last: number[] = []
  const unattributed: number[] = []
  const callers: number[] = []
  const projects: number[] = []
  for (const space of folded.spaces) {
    ids.push(space.id)
    last.push(space.lastAccess)
    unattributed.push(space.unattributedLast ?? -1)
    if (space.lastAccess > maxTime) maxTime = space.lastAccess
    callers.push(space.callers.size)
    pairs(callers, space.callers, names)
    projects.push(space.projects.size)
    pairs(projects, space.projects, dirs)
  }
  const seen: number[] = []
  pairs(seen, folded.projects, dirs)
  return { version: SNAPSHOT_VERSION, shapes: RECORD_SHAPES, log, end, maxTime, names: [...names.keys()], dirs: [...dirs.keys()], ids, last, unattributed, callers, projects, seen }
}

function isTime(value: unknown, max: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= EARLIEST_TIME_MS && (value as number) <= max
}

/**
 * Reads `column` from `at`: a count n, then n pairs (index into `table`, time), as a map. Returns
 * where the next count is, or -1 when an index or time is not one a record gives.
 */
function readPairs(column: unknown[], at: number, count: number, table: string[], max: number, into: Map<string, number>): number {
  const end = at + 2 * count
  if (!Number.isSafeInteger(count) || count < 0 || end > column.length) return -1
  for (let i = at; i < end; i += 2) {
    const index = column[i]
    const time = column[i + 1]
    if (!Number.isSafeInteger(index) || (index as number) < 0 || (index as number) >= table.length || !isTime(time, max)) return -1
    into.set(table[index as number], time)
  }
  return end
}

/**
 * True when a space's times are what folding records gives: every record has a project or counts
 * as unattributed, so the last access is the latest of those, and no caller is used later.
 */
function consistent(lastAccess: number, unattributedLast: number, callers: Map<string, number>, projects: Map<string, number>): boolean {
  let latest = unattributedLast
  for (const time of projects.values()) if (time > latest) latest = time
  if (latest !== lastAccess) return false
  for (const time of callers.values()) if (time > lastAccess) return false
  return true
}

/** The snapshot's spaces as usages with `latest` (the same empty map for all: no records), or null when a value is unsound. */
export function decodeSnapshot(file: SnapshotFile, latest: SpaceUsage['latest']): FoldedLog<SpaceUsage> | null {
  const { names, dirs, ids, last, unattributed, maxTime } = file
  for (const name of names) if (!isPackageName(name)) return null
  for (const dir of dirs) if (!isProjectDir(dir)) return null
  if (last.length !== ids.length || unattributed.length !== ids.length) return null
  const spaces: SpaceUsage[] = []
  const seenIds = new Set<string>()
  let atCallers = 0
  let atProjects = 0
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]
    const parsed = parseSpaceId(id)
    const lastAccess = last[i]
    const unattributedLast = unattributed[i]
    if (parsed === null || !isTime(lastAccess, maxTime) || (unattributedLast !== -1 && !isTime(unattributedLast, maxTime))) return null
    const callers = new Map<string, number>()
    const projects = new Map<string, number>()
    atCallers = readPairs(file.callers, atCallers + 1, file.callers[atCallers], names, maxTime, callers)
    atProjects = readPairs(file.projects, atProjects + 1, file.projects[atProjects], dirs, maxTime, projects)
    if (atCallers === -1 || atProjects === -1 || !consistent(lastAccess, unattributedLast, callers, projects) || seenIds.has(id)) return null
    seenIds.add(id)
    spaces.push({ id, owner: parsed.owner, callers, projects, unattributedLast: unattributedLast === -1 ? null : unattributedLast, lastAccess, latest })
  }
  const projects = new Map<string, number>()
  if (atCallers !== file.callers.length || atProjects !== file.projects.length || file.seen.length % 2 !== 0 ||
    readPairs(file.seen, 0, file.seen.length / 2, dirs, maxTime, projects) !== file.seen.length) return null
  return { spaces, projects, end: file.end }
}

export function isSnapshotFile(value: unknown): value is SnapshotFile {
  if (value === null || typeof value !== 'object') return false
  const file = value as Partial<SnapshotFile>
  const log = file.log as Partial<LogIdentity> | undefined
  return file.version === SNAPSHOT_VERSION && (file.shapes === undefined || typeof file.shapes === 'string') && log !== null && typeof log === 'object' &&
    typeof log.dev === 'string' && typeof log.ino === 'string' && typeof log.size === 'string' &&
    typeof log.mtimeNs === 'string' && typeof log.ctimeNs === 'string' && Number.isSafeInteger(log.digest) && (log.digest as number) >= 0 && (log.digest as number) <= 0xffffffff &&
    Number.isSafeInteger(file.end) && Number.isSafeInteger(file.maxTime) &&
    [file.names, file.dirs, file.ids, file.last, file.unattributed, file.callers, file.projects, file.seen].every(Array.isArray)
}
