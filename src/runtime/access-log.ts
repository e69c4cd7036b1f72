import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { RUNTIME_COMPACT_AT_BYTES, requestCompaction } from './compaction-trigger'
import { accessLogPath, bookkeepingDir, parseSpaceId } from './layout'
import { isPackageName } from './names'
import { checksum, checksumValue, checksumValueOfAscii, spellsChecksum } from './checksum'
import { unknownShape } from './record-shape'

/** One use of a space by a package, appended by the runtime helper (docs/design.md, "Access records and projects"). */
export interface AccessRecord {
  t: 'access'
  /** Store-relative space id, `owner/key` (`_global/key` for the global namespace). */
  space: string
  owner: string | null
  ownerVersion?: string
  caller: string | null
  callerVersion?: string
  /** Absolute project directory of the caller, or null when unattributed. */
  project: string | null
  /** UTC ISO time. */
  time: string
  pid: number
}

/** A project made known without a space access (install-time registration). */
export interface ProjectRecord {
  t: 'project'
  project: string
  time: string
  pid: number
}

export type LogRecord = AccessRecord | ProjectRecord

/** The access record of one use; every writer builds it here, so the field order (and the line's bytes) is one. */
export function accessRecord(fields: Omit<AccessRecord, 't'>): AccessRecord {
  return { t: 'access', ...fields }
}

/** The registration record of `project` at `now` (epoch ms) by this process. */
export function projectRecord(project: string, now: number): ProjectRecord {
  return { t: 'project', project, time: new Date(now).toISOString(), pid: process.pid }
}

/** One self-checking line: `<8 hex of FNV-1a(json)> <json>\n`. */
export function encodeRecord(record: LogRecord): string {
  const json = JSON.stringify(record)
  return `${checksum(json)} ${json}\n`
}

// Times this package writes (isoTime), and the earliest a real record can carry: a clock that
// reads 1970 (a device without a battery-backed clock) gives a record no age can be taken from.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/
/** 2000-01-01T00:00:00Z: record times before it are impossible, and the record is damaged. */
export const EARLIEST_TIME_MS = 946_684_800_000

/** The `n` decimal digits of `text` at `at` as a number, or -1 when one is not a digit. */
function digits(text: string, at: number, n: number): number {
  let value = 0
  for (let i = at; i < at + n; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

/**
 * The epoch time of `time` when it has the shape `toISOString` writes (`YYYY-MM-DDTHH:MM:SS.sssZ`,
 * year 1000 on) with every field in range, as `Date.parse` gives it; undefined for anything else,
 * which `Date.parse` then decides. Parsing it by hand is a fifth of the cost, once per record.
 */
function isoWritten(time: string): number | undefined {
  if (time.length !== 24 || time[4] !== '-' || time[7] !== '-' || time[10] !== 'T' || time[13] !== ':' || time[16] !== ':' || time[19] !== '.' || time[23] !== 'Z') return undefined
  const year = digits(time, 0, 4)
  const month = digits(time, 5, 2)
  const day = digits(time, 8, 2)
  const hour = digits(time, 11, 2)
  const minute = digits(time, 14, 2)
  const second = digits(time, 17, 2)
  const ms = digits(time, 20, 3)
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return undefined
  return Date.UTC(year, month - 1, day, hour, minute, second, ms)
}

// The last time parsed, and what it gave: the history reader checks a record's time, and folds
// the record (parsing its time again) right after; parsing it once is ~5% of a warm gc.
let lastTime = ''
let lastMs: number | null = null

/** The epoch time of a record's `time`, or null when it is not an ISO time of this millennium. */
export function recordTime(time: unknown): number | null {
  if (typeof time !== 'string') return null
  if (time === lastTime) return lastMs
  const ms = isoWritten(time) ?? (ISO_TIME.test(time) ? Date.parse(time) : Number.NaN)
  lastTime = time
  lastMs = Number.isNaN(ms) || ms < EARLIEST_TIME_MS ? null : ms
  return lastMs
}

// Project directories already found sound: a log names a few projects many times over (and a
// store of 10,000 projects names 10,000: the bound must not make it start over every 4,096).
const soundDirs = new Set<string>()

/** True for an absolute, normalised directory path (as this package records projects). */
export function isProjectDir(dir: unknown): dir is string {
  if (typeof dir !== 'string') return false
  if (soundDirs.has(dir)) return true
  if (dir === '' || dir.includes('\0') || !path.isAbsolute(dir) || path.resolve(dir) !== dir) return false
  if (soundDirs.size >= 65_536) soundDirs.clear()
  soundDirs.add(dir)
  return true
}

/**
 * True when every value a reader acts on is what this package writes (the shape was checked
 * by `unknownShape`): the space id is exactly
 * `<owner>/<key>` and agrees with `owner`, names are npm names, the project is an absolute
 * normalised path, the time is possible. A record with a valid checksum can still be hostile or
 * come from a broken clock; anything else is damaged (see docs/design.md, "Record validation").
 */
function isSound(record: LogRecord): boolean {
  if (recordTime(record.time) === null) return false
  if (record.t === 'project') return isProjectDir(record.project)
  const id = parseSpaceId(record.space)
  return id !== null && id.owner === record.owner &&
    (record.caller === null || isPackageName(record.caller)) &&
    (record.project === null || isProjectDir(record.project))
}

/**
 * A line whose checksum matched but whose record this version does not understand (written by
 * a newer version): `what` says what was not understood, `line` is the record's own text (a
 * torn prefix dropped), so it can be carried over unchanged.
 */
export class UnknownRecord {
  constructor(readonly what: string, readonly line: string) {}
}

/**
 * What `line` holds: a record; an {@link UnknownRecord} (intact, but not understood); or null
 * when the line is damaged (torn, truncated, edited, or impossible values such as a path outside
 * the store or a time before 2000). See docs/design.md, "Record versions".
 */
function readLine(line: string, bytes?: Uint8Array, at = 0): LogRecord | UnknownRecord | null {
  if (line.length < 11 || line[8] !== ' ') return null
  const sum = bytes === undefined ? -1 : checksumValueOfAscii(bytes, at + 9, at + line.length)
  if (!spellsChecksum(line, 0, sum >= 0 ? sum : checksumValue(line, 9))) return null
  const json = line.slice(9)
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return new UnknownRecord('not JSON', line)
  }
  const unknown = unknownShape(value)
  if (unknown !== null) return new UnknownRecord(unknown, line)
  return isSound(value as LogRecord) ? value as LogRecord : null
}

/**
 * {@link readLine}, or else the intact line a torn append glued onto a damaged prefix (see {@link salvage}).
 * `bytes[at, at + line.length)`, when given, are the line's own bytes, all ASCII: its checksum is
 * then taken from them, which is faster than from the text (see `checksumValueOfAscii`).
 */
export function readLineOrTail(line: string, bytes?: Uint8Array, at?: number): LogRecord | UnknownRecord | null {
  return readLine(line, bytes, at) ?? salvage(line)
}

/** The record on `line`, or null when the line is damaged or holds a record this version does not understand. */
export function decodeLine(line: string): LogRecord | null {
  const read = readLine(line)
  return read instanceof UnknownRecord ? null : read
}

/**
 * A torn append (a write cut short, without its newline) glues the next record onto its tail.
 * That record is intact: find where it starts. Only its true start passes the checksum.
 */
function salvage(line: string): LogRecord | UnknownRecord | null {
  const start = /[0-9a-f]{8} \{/g
  for (let match = start.exec(line); match !== null; match = start.exec(line)) {
    const read = match.index === 0 ? null : readLine(line.slice(match.index))
    if (read !== null) return read
  }
  return null
}

/** Every intact record in `text` this version understands; damaged lines are skipped, never fatal. */
export function decodeLog(text: string): LogRecord[] {
  const records: LogRecord[] = []
  for (const line of text.split('\n')) {
    const read = line === '' ? null : readLineOrTail(line)
    if (read !== null && !(read instanceof UnknownRecord)) records.push(read)
  }
  return records
}

/**
 * Appends `record` to the store's access log with a single `write` on an `O_APPEND` descriptor,
 * so concurrent writers never tear or interleave lines, and checks that it landed in the live log
 * (see docs/design.md, "Store format"). Creates the bookkeeping directory (0700)
 * when missing. Throws the system error when the log cannot be written.
 */
export function appendRecord(root: string, record: LogRecord): void {
  const line = encodeRecord(record)
  const file = accessLogPath(root)
  // A gc may rotate the log between our open and our write (and retire the rotated file once it
  // has read it): a record that did not land in the file now at the log's path is written again
  // there. At most twice; a record folded twice changes nothing.
  for (let attempt = 0; attempt < 2; attempt++) {
    const { size, landed } = appendOnce(root, file, line)
    if (size > RUNTIME_COMPACT_AT_BYTES) requestCompaction(root)
    if (landed) return
  }
}

/**
 * How a log is opened to append: created if missing, never through a link planted in its place
 * (ELOOP), and never waiting for a reader of a FIFO planted there (ENXIO: the use is a warning,
 * where a blocking open would hang the caller's `getScratch` for good).
 */
// (Where O_NOFOLLOW or O_NONBLOCK is not defined, Windows, `| undefined` adds nothing.)
const flags = fs.constants
export const APPEND_FLAGS = flags.O_WRONLY | flags.O_APPEND | flags.O_CREAT | flags.O_NOFOLLOW | flags.O_NONBLOCK

/**
 * Opens the log `file` to append (`APPEND_FLAGS`). `EAGAIN` is the other answer `O_NONBLOCK` gives,
 * for a regular file another process holds a lease on (a file server's oplock or delegation; a FIFO
 * answers `ENXIO`): the open is then made again without it, which waits for the lease to be
 * broken, as an open always did, rather than losing the record.
 */
export function openLogToAppend(file: string): number {
  try {
    return fs.openSync(file, APPEND_FLAGS, 0o600)
  } catch (err) {
    if (!isErrno(err, 'EAGAIN')) throw err
    // (Where O_NONBLOCK is not defined, `~undefined` is -1 and removes nothing.)
    return fs.openSync(file, APPEND_FLAGS & ~flags.O_NONBLOCK, 0o600)
  }
}

/**
 * Writes `text` to the log open at `fd` in one `write`. A write the file system cuts short (a
 * full disk or quota leaves room for part of a line) throws `ENOSPC`: the rest is not written
 * after it, where another writer's record may already stand, and the torn part is what readers
 * skip (see `salvage`); the caller then knows the record is not there.
 */
export function appendWhole(fd: number, text: string): void {
  if (fs.writeSync(fd, text) < Buffer.byteLength(text)) throw Object.assign(new Error('ENOSPC: write cut short'), { code: 'ENOSPC' })
}

function appendOnce(root: string, file: string, line: string): { size: number; landed: boolean } {
  let fd: number
  try {
    fd = openLogToAppend(file)
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err
    fs.mkdirSync(bookkeepingDir(root), { recursive: true, mode: 0o700 })
    fd = openLogToAppend(file)
  }
  try {
    appendWhole(fd, line)
    const written = fs.fstatSync(fd)
    let now: fs.Stats | undefined
    try {
      now = fs.statSync(file)
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err
    }
    // Where inode numbers are not reported (0), the check cannot tell, and the record stays where it is.
    const landed = written.ino === 0 || (now !== undefined && now.ino === written.ino && now.dev === written.dev)
    return { size: written.size, landed }
  } finally {
    fs.closeSync(fd)
  }
}
