import fs from 'node:fs'
import { isErrno } from '../errors'
import { finishDigest, wordDigest } from '../runtime/checksum'
import { readJsonFile, sealedJson, writeStateFile } from './atomic'
import { RECORD_SHAPES } from '../runtime/record-shape'
import { SNAPSHOT_VERSION, decodeSnapshot, encodeSnapshot, isSnapshotFile, type FoldedLog, type LogIdentity } from './folded-format'
import type { SpaceUsage } from './history'

/**
 * The folded compacted log (docs/design.md, "The folded history"): what reading
 * `access.compact.log` without its records gives, saved next to it by the run that wrote it, so
 * that a run which only judges (the install-time sweep, a dry run) parses one JSON text instead
 * of checking and folding every line. It is a cache: it counts only while the compacted log is
 * byte for byte the file it was derived from (the same device, inode, size, modification and
 * change time, and the same digest of its bytes), and anything else about it (missing, damaged,
 * another version, a value a record could not hold) makes the reader read the log itself. The
 * file's columns and their checks are `folded-format.ts`'s.
 */

/** The snapshot's path for a compacted log. */
export function snapshotPath(compactLog: string): string {
  return compactLog.replace(/\.log$/, '.folded.json')
}

/** The identity of the file `stat` describes, with `digest` of its bytes. */
function identityOf(stat: fs.BigIntStats, digest: number): LogIdentity {
  return { dev: String(stat.dev), ino: String(stat.ino), size: String(stat.size), mtimeNs: String(stat.mtimeNs), ctimeNs: String(stat.ctimeNs), digest }
}

/** True when `stat` describes the file `known` was taken of (the digest is checked apart: it needs the bytes). */
function sameStat(known: LogIdentity, stat: fs.BigIntStats): boolean {
  const now = identityOf(stat, known.digest)
  return known.dev === now.dev && known.ino === now.ino && known.size === now.size && known.mtimeNs === now.mtimeNs && known.ctimeNs === now.ctimeNs
}

const CHUNK = 1024 * 1024

/** The digest of `bytes`, as the snapshot records it. */
function digestOfBytes(bytes: Uint8Array): number {
  return finishDigest(wordDigest(bytes), bytes.length)
}

/** {@link digestOfBytes} of the file open at `fd`, `size` bytes, read in chunks (a multiple of 4 each); -1 when it reads short. */
function digestOf(fd: number, size: number): number {
  const buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 4)))
  let state = 0
  for (let position = 0; position < size;) {
    const read = fs.readSync(fd, buffer, 0, Math.min(buffer.length, size - position), position)
    if (read === 0) return -1
    state = wordDigest(buffer, 0, read, state)
    position += read
    if (read % 4 !== 0 && position < size) return -1
  }
  return finishDigest(state, size)
}

/**
 * Removes the snapshot of `compactLog`: called before the compacted log is replaced, so a run
 * killed in between leaves no snapshot rather than relying on the identity check alone.
 */
export function dropSnapshot(compactLog: string): void {
  try {
    fs.rmSync(snapshotPath(compactLog), { force: true })
  } catch (err) {
    // Something else planted there (a directory): it never reads as a snapshot either.
    if (!isErrno(err)) throw err
  }
}

/**
 * Saves `folded`, the fold of the compacted log just written as `bytes`, tied to the file now at
 * `compactLog` and to those bytes. A failure to write leaves no snapshot (it only costs time).
 */
export function saveSnapshot(compactLog: string, bytes: Uint8Array, folded: Omit<FoldedLog, 'end'>): void {
  try {
    // The digest is of the bytes this run wrote: if another run replaced the log since (one that
    // took over a lock it thought stale), the stat is of that file and the digest is not.
    const log = identityOf(fs.statSync(compactLog, { bigint: true }), digestOfBytes(bytes))
    writeStateFile(snapshotPath(compactLog), sealedJson(encodeSnapshot(folded, log, bytes.length)))
  } catch (err) {
    if (!isErrno(err)) throw err
    dropSnapshot(compactLog)
  }
}

/**
 * The fold of the compacted log from its snapshot, or null when the snapshot cannot stand in for
 * reading the log: missing, damaged, larger than the log could make it, of another version,
 * derived from another file than the one open at `compactLog` now (its stat or the digest of its
 * bytes differ), holding a time past `clampMs` (the log's reader would count it as `clampMs`), or
 * a value no set of sound records gives. The log is opened first and its bytes digested through
 * that descriptor, so what is vouched for is the very file whose place the snapshot takes.
 */
export function loadSnapshot(compactLog: string, clampMs: number, latest: SpaceUsage['latest']): FoldedLog<SpaceUsage> | null {
  let fd: number
  try {
    fd = fs.openSync(compactLog, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0))
  } catch (err) {
    if (isErrno(err)) return null
    throw err
  }
  try {
    const stat = fs.fstatSync(fd, { bigint: true })
    if (!stat.isFile()) return null
    const size = Number(stat.size)
    // Per space a snapshot holds less than the log's lines about it; a larger file is not one.
    const read = readJsonFile(snapshotPath(compactLog), isSnapshotFile, [SNAPSHOT_VERSION], 2 * size + 64 * 1024)
    if (read.state !== 'ok') return null
    const file = read.value
    // Written by a version that understands other records: the log may hold lines this one
    // does not understand, which must hold the run (docs/design.md, "Record versions").
    if (file.shapes !== undefined && file.shapes !== RECORD_SHAPES) return null
    if (!sameStat(file.log, stat) || file.end !== size || file.maxTime > clampMs || digestOf(fd, size) !== file.log.digest) return null
    return decodeSnapshot(file, latest)
  } catch (err) {
    if (isErrno(err)) return null
    throw err
  } finally {
    fs.closeSync(fd)
  }
}
