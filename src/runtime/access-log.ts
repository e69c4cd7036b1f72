import fs from 'node:fs'
import { isErrno } from '../errors'
import { accessLogPath, bookkeepingDir } from './layout'

/** One use of a space by a package, appended by the runtime helper (SPEC §3 "Access tracking"). */
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

/**
 * 32-bit FNV-1a over the UTF-16 code units, as 8 hex digits. It only has to catch torn or
 * truncated lines, not adversaries, and it avoids loading `node:crypto` (milliseconds) on the
 * first `getScratch` of a process.
 */
export function checksum(json: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < json.length; i++) {
    hash ^= json.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}

/** One self-checking line: `<8 hex of FNV-1a(json)> <json>\n`. */
export function encodeRecord(record: LogRecord): string {
  const json = JSON.stringify(record)
  return `${checksum(json)} ${json}\n`
}

/** The record on `line`, or null when the line is damaged (torn, truncated, edited) or of an unknown kind. */
export function decodeLine(line: string): LogRecord | null {
  if (line.length < 11 || line[8] !== ' ') return null
  const json = line.slice(9)
  if (checksum(json) !== line.slice(0, 8)) return null
  try {
    const record = JSON.parse(json) as LogRecord
    if (record === null || typeof record !== 'object') return null
    if (record.t === 'access' && typeof record.space === 'string' && typeof record.time === 'string') return record
    if (record.t === 'project' && typeof record.project === 'string' && typeof record.time === 'string') return record
    return null
  } catch {
    return null
  }
}

/**
 * A torn append (a write cut short, without its newline) glues the next record onto its tail.
 * That record is intact: find where it starts. Only its true start passes the checksum.
 */
function salvage(line: string): LogRecord | null {
  const start = /[0-9a-f]{8} \{/g
  for (let match = start.exec(line); match !== null; match = start.exec(line)) {
    const record = match.index === 0 ? null : decodeLine(line.slice(match.index))
    if (record !== null) return record
  }
  return null
}

/** Every intact record in `text`; damaged lines are skipped, never fatal. */
export function decodeLog(text: string): LogRecord[] {
  const records: LogRecord[] = []
  for (const line of text.split('\n')) {
    const record = line === '' ? null : decodeLine(line) ?? salvage(line)
    if (record !== null) records.push(record)
  }
  return records
}

/**
 * Appends `record` to the store's access log with a single `write` on an `O_APPEND` descriptor,
 * so concurrent writers never tear or interleave lines. Creates the bookkeeping directory (0700)
 * when missing. Throws the system error when the log cannot be written.
 */
export function appendRecord(root: string, record: LogRecord): void {
  const line = encodeRecord(record)
  const file = accessLogPath(root)
  let fd: number
  try {
    fd = fs.openSync(file, 'a', 0o600)
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err
    fs.mkdirSync(bookkeepingDir(root), { recursive: true, mode: 0o700 })
    fd = fs.openSync(file, 'a', 0o600)
  }
  try {
    fs.writeSync(fd, line)
  } finally {
    fs.closeSync(fd)
  }
}
