import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { encodeRecord, recordTime, type AccessRecord, type LogRecord, type UnknownRecord } from '../runtime/access-log'
import { appendLines, forEachRecord } from './log-reader'
import { ACCESS_LOG, bookkeepingDir } from '../runtime/layout'
import { writeStateFile } from './atomic'
import { dropSnapshot, loadSnapshot, saveSnapshot } from './history-snapshot'

const COMPACT_LOG = 'access.compact.log'
const SEGMENT = /^access\.seg-[0-9a-z-]+\.log$/


/** Everything the access records say about one space. Times are epoch milliseconds. */
export interface SpaceUsage {
  id: string
  owner: string | null
  /** Recorded callers (package names) → last time. */
  callers: Map<string, number>
  /** Projects the space was used from → last time. */
  projects: Map<string, number>
  /** Last time of a record with no project, or null. */
  unattributedLast: number | null
  lastAccess: number
  /** The newest record of each (caller, project) pair: what compaction keeps (empty when the history was read without records). */
  latest: Map<string, AccessRecord>
}

/** The folded access log: per-space usage, and every project that records mention. */
export interface History {
  spaces: Map<string, SpaceUsage>
  /** Project directory → last time it was seen in a record (access or registration). */
  projects: Map<string, number>
  /** Registration records, newest per project, kept by compaction. */
  registrations: Map<string, LogRecord>
  /** Log file → how many of its lines failed their checksum or did not parse. */
  damagedLines: Map<string, number>
  /** Log file → the byte offset up to which its complete lines were folded. */
  readTo: Map<string, number>
  /**
   * Log file → its intact lines holding records this version does not understand (a newer
   * version wrote them): how many, and the first (`line N: what`). Any makes the store
   * read-only for this version (see {@link newerRecords}).
   */
  unknownLines: Map<string, { count: number; first: string }>
  /**
   * False when the records themselves were not kept (`latest`, `registrations` empty): a run that
   * changes nothing never compacts, and keeping 10⁴ parsed records alive only to drop them was a
   * large part of a dry run's garbage collection (docs/design.md, "The warm gc"). Such a history
   * is never compacted from.
   */
  records: boolean
  /** True when the compacted log's part came from its folded snapshot (docs/design.md, "The folded history"). */
  fromSnapshot: boolean
}

function emptyHistory(records: boolean): History {
  return { spaces: new Map(), projects: new Map(), registrations: new Map(), damagedLines: new Map(), readTo: new Map(), unknownLines: new Map(), records, fromSnapshot: false }
}

/** The `latest` of every usage of a history read without records: never written to. */
const NO_RECORDS: Map<string, AccessRecord> = new Map()

/**
 * Why `history` must not be acted on, or undefined: it skipped records this version does not
 * understand, so what it says about the spaces is incomplete, and rewriting the log from it
 * would drop them (docs/design.md, "Record versions").
 */
export function newerRecords(history: History): string | undefined {
  const [found] = history.unknownLines
  if (found === undefined) return undefined
  let more = -1
  for (const { count } of history.unknownLines.values()) more += count
  return `${found[0]} ${found[1].first}, which this version of pnpm-plugin-scratch does not understand${more > 0 ? ` (and ${more} more such line${more === 1 ? '' : 's'})` : ''}: a newer version wrote it`
}

/** Folds a record the line decoder accepted: its time was checked there (`isSound`), and `recordTime` has it still. */
function foldRecord(history: History, given: LogRecord, clampMs: number): void {
  const parsed = recordTime(given.time)
  if (parsed === null) return
  const time = Math.min(parsed, clampMs)
  const record = time === parsed ? given : { ...given, time: new Date(time).toISOString() }
  if (record.t === 'project') {
    bump(history.projects, record.project, time)
    if (!history.records) return
    const known = history.registrations.get(record.project)
    if (known === undefined || Date.parse(known.time) < time) history.registrations.set(record.project, record)
    return
  }
  let usage = history.spaces.get(record.space)
  if (usage === undefined) {
    usage = { id: record.space, owner: record.owner, callers: new Map(), projects: new Map(), unattributedLast: null, lastAccess: time, latest: history.records ? new Map() : NO_RECORDS }
    history.spaces.set(record.space, usage)
  }
  if (usage.lastAccess < time) usage.lastAccess = time
  if (record.caller !== null) bump(usage.callers, record.caller, time)
  if (record.project === null) {
    if (usage.unattributedLast === null || usage.unattributedLast < time) usage.unattributedLast = time
  } else {
    bump(usage.projects, record.project, time)
    bump(history.projects, record.project, time)
  }
  if (!history.records) return
  // A kept record's time is parsed again only when its pair comes back (a live log's repeated
  // uses): cheaper than remembering every parsed time (docs/design.md, "The warm gc").
  const pair = `${record.caller ?? ''}\0${record.project ?? ''}`
  const known = usage.latest.get(pair)
  if (known === undefined || Date.parse(known.time) < time) usage.latest.set(pair, record)
}

function bump(map: Map<string, number>, key: string, time: number): void {
  const known = map.get(key)
  if (known === undefined || known < time) map.set(key, time)
}

function logFiles(root: string): { compact: string; live: string; segments: string[] } {
  const dir = bookkeepingDir(root)
  let names: string[] = []
  try {
    names = fs.readdirSync(dir)
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err
  }
  return {
    compact: path.join(dir, COMPACT_LOG),
    live: path.join(dir, ACCESS_LOG),
    segments: names.filter((name) => SEGMENT.test(name)).sort().map((name) => path.join(dir, name)),
  }
}

/**
 * Whether the compacted log is all the history there is: no rotated segment, and a live log that
 * is missing or empty. A full gc then has nothing to rotate or fold in, and compacts only when it
 * leaves records behind that compaction would drop (docs/design.md, "The warm gc").
 */
export function onlyCompacted(root: string): boolean {
  const { live, segments } = logFiles(root)
  if (segments.length > 0) return false
  try {
    // Not followed: anything but an empty regular file (a planted link or FIFO) is rotated away
    // as before, or appends would keep failing and every later run would be quiet again.
    const stat = fs.lstatSync(live)
    return stat.isFile() && stat.size === 0
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return true
    throw err
  }
}

/** The size of the access-log files: all of them, and the compacted log alone (what no compaction shrinks). */
export interface HistorySize { total: number; compacted: number }

/** What reading the history costs: the compacted log, segments and live log, in bytes (see {@link HistorySize}). */
export function historyBytes(root: string): HistorySize {
  const { compact, live, segments } = logFiles(root)
  const size = { total: 0, compacted: 0 }
  for (const file of [compact, ...segments, live]) {
    try {
      const bytes = fs.statSync(file).size
      size.total += bytes
      if (file === compact) size.compacted = bytes
    } catch (err) {
      if (!isErrno(err)) throw err
    }
  }
  return size
}

/**
 * Reads the whole access history: the compacted log, every rotated segment and the live log.
 * Damaged lines are counted and skipped; times later than `clampMs` count as `clampMs`.
 * Streams every file, so its memory is bounded by the distinct uses, not the log's size.
 * `records: false` folds the usage only, keeping no record for compaction (see {@link History}).
 * `compactedOnly`: the compacted log alone, for a run that found nothing else to read (see
 * {@link onlyCompacted}) and compacts after all.
 */
export function readHistory(root: string, clampMs = Date.now(), { records = true, compactedOnly = false }: { records?: boolean; compactedOnly?: boolean } = {}): History {
  const history = emptyHistory(records)
  const { compact, live, segments } = logFiles(root)
  // Without records, the compacted log's fold can come from its snapshot (docs/design.md, "The folded history").
  const folded = records ? null : loadSnapshot(compact, clampMs, NO_RECORDS)
  if (folded !== null) {
    for (const space of folded.spaces) history.spaces.set(space.id, space)
    history.projects = folded.projects
    history.readTo.set(compact, folded.end)
    history.fromSnapshot = true
  }
  const rest = compactedOnly ? [] : [...segments, live]
  for (const file of folded === null ? [compact, ...rest] : rest) {
    const { damaged, end, unknown, firstUnknown } = forEachRecord(file, (record) => foldRecord(history, record, clampMs))
    if (damaged > 0) history.damagedLines.set(file, damaged)
    if (firstUnknown !== undefined) history.unknownLines.set(file, { count: unknown, first: firstUnknown })
    history.readTo.set(file, end)
  }
  return history
}

/**
 * Starts a new live log by renaming the current one to a segment, so the gc never rewrites a file
 * that writers append to. Returns the segments that existed before (safe to delete once their
 * records are compacted: any write racing their rotation landed long ago) and the new segment.
 */
export function rotateLog(root: string): { olderSegments: string[]; rotated: string | null } {
  const { live, segments } = logFiles(root)
  const rotated = path.join(path.dirname(live), `access.seg-${Date.now().toString(36)}-${process.pid}.log`)
  try {
    fs.renameSync(live, rotated)
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return { olderSegments: segments, rotated: null }
    throw err
  }
  return { olderSegments: segments, rotated }
}

/** Every space counts as touched: a record appended during the run that this version cannot read may name any of them. */
class AllSpaces extends Set<string> {
  override has(): boolean {
    return true
  }
}

/**
 * Space ids with a record at or after `since` in the live log or `segment` (the race guard's
 * check). With the `history` this run folded, only what was appended after its reading is read
 * again (the rest is in the history already), so a huge log is not read twice; every access
 * record found there counts, whatever its time: it was appended during the run, and a writer
 * can take its time before the run started and append after the reading (a descheduled
 * process), a use the history never saw. A record appended meanwhile that this version does
 * not understand makes every space touched (fail closed).
 */
export function spacesTouchedSince(root: string, since: number, segment: string | null, history?: History): Set<string> {
  const touched = new Set<string>()
  for (const usage of history?.spaces.values() ?? []) if (usage.lastAccess >= since) touched.add(usage.id)
  const { live } = logFiles(root)
  let unknown = 0
  for (const file of segment === null ? [live] : [segment, live]) {
    const readTo = history?.readTo.get(file)
    unknown += forEachRecord(file, (record) => {
      if (record.t === 'access' && (readTo !== undefined || Date.parse(record.time) >= since)) touched.add(record.space)
    }, readTo ?? 0).unknown
  }
  return unknown > 0 ? new AllSpaces() : touched
}

/**
 * Rewrites the compacted log atomically from `history`: the newest record per (space, caller,
 * project) and per registered project, for the spaces `keep` accepts (those still on disk, or
 * used since the run started), less the records `forget` drops (those of projects that are gone:
 * kept, they would grow the log with every checkout a machine ever had). Then removes
 * `olderSegments`, whose records are now compacted. Refuses (returns false, changing nothing)
 * when `history` skipped records this version does not understand (they would be lost), or
 * was read without its records (it has none to write).
 */
export function compactHistory(
  root: string, history: History, keep: (usage: SpaceUsage) => boolean, olderSegments: string[],
  forget: (record: LogRecord) => boolean = () => false,
): boolean {
  if (newerRecords(history) !== undefined || !history.records) return false
  const lines: string[] = []
  // What reading the new compacted log without records will fold, saved as its snapshot.
  const folded = emptyHistory(false)
  const write = (record: LogRecord): void => {
    if (forget(record)) return
    lines.push(encodeRecord(record))
    foldRecord(folded, record, Infinity)
  }
  for (const usage of history.spaces.values()) {
    if (!keep(usage)) continue
    for (const record of usage.latest.values()) write(record)
  }
  for (const record of history.registrations.values()) write(record)
  const { compact } = logFiles(root)
  const bytes = Buffer.from(lines.join(''))
  dropSnapshot(compact)
  writeStateFile(compact, bytes)
  saveSnapshot(compact, bytes, { spaces: [...folded.spaces.values()], projects: folded.projects })
  for (const segment of olderSegments) fs.rmSync(segment, { force: true })
  return true
}

/**
 * Removes a segment that was the live log until this run rotated it, once its records are
 * compacted: `from` is where this run's reading of it ended (given under the name it had), and
 * anything a writer appended after that (a writer that opened the log just before the rename)
 * is carried over to the live log first. So no segment outlives the run that rotated it, and the
 * log files stay proportional to the distinct uses (see docs/design.md, "Store format"). A late
 * line this version does not understand is carried over as it is.
 */
export function retireSegment(root: string, segment: string, from: number): void {
  const late: string[] = []
  forEachRecord(segment, (record) => late.push(encodeRecord(record)), from, (unknown: UnknownRecord) => late.push(`${unknown.line}\n`))
  if (late.length > 0) appendLines(logFiles(root).live, late.join(''))
  fs.rmSync(segment, { force: true })
}
