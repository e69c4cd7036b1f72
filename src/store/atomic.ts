import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { checksum, checksumValue, checksumValueOfAscii, spellsChecksum } from '../runtime/checksum'

let durable = true

/**
 * Runs `fn` with the atomic writes it makes skipping fsync. For the install-time sweep: on a disk
 * with a large write-back queue (a build that just wrote 10⁵ files), one fsync can wait for all of
 * it, minutes, and the sweep has a 1 s bound. The rename still makes every write all-or-nothing
 * for readers; what a power cut may cost is a file whose checksum fails, which the next run
 * rebuilds, deleting nothing (docs/design.md, "The sweep's time bound").
 */
export function withoutFsync<T>(fn: () => T): T {
  const before = durable
  durable = false
  try {
    return fn()
  } finally {
    durable = before
  }
}

/**
 * Writes `data` to `file` atomically: a temp file in the same directory, fsync, rename. Readers
 * see the old or the new content, never a mix; a crash leaves at most a `.*.tmp` file behind,
 * which the gc removes. Refuses to write through a symlink at `file` (a project's file someone
 * linked on purpose) unless `replaceLink`: then the link itself is replaced, never followed.
 * The file gets `mode` (default 0600, the store's own state), set on the descriptor so the
 * umask cannot narrow it.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600, replaceLink = false): void {
  const dir = path.dirname(file)
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`)
  if (!replaceLink) {
    try {
      if (fs.lstatSync(file).isSymbolicLink()) throw Object.assign(new Error(`Refusing to write through symlink ${file}`), { code: 'ELOOP' })
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err
    }
  }
  let moved = false
  try {
    const fd = fs.openSync(temp, 'wx', 0o600)
    try {
      fs.writeFileSync(fd, data)
      if (mode !== 0o600) fs.fchmodSync(fd, mode)
      if (durable) fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(temp, file)
    moved = true
  } finally {
    if (!moved) fs.rmSync(temp, { force: true })
  }
}

/**
 * Writes a state file of the store (0600, atomically): a link planted in its place is replaced
 * by the file, as the reader never follows one either (see {@link readJsonFile}).
 */
export function writeStateFile(file: string, data: string | Uint8Array): void {
  writeFileAtomic(file, data, 0o600, true)
}

const SEAL = ',"checksum":"'
// A registry of 1,000 projects of 1,000 packages is 2.4 MB; anything past this is not ours.
const MAX_STATE_BYTES = 128 * 1024 * 1024

/**
 * `value` as JSON text with a last member `"checksum"`: FNV-1a of the text without it. The file
 * stays plain JSON, and damage that leaves valid JSON (a changed byte) no longer reads as data.
 */
export function sealedJson(value: object): string {
  const body = JSON.stringify(value)
  return `${body.slice(0, -1)}${SEAL}${checksum(body)}"}`
}

/**
 * True when `text` ends with a checksum member that matches the rest, false when it does not,
 * null without one. `bytes` are the file's bytes `text` was decoded from: when everything before
 * the checksum member is ASCII, text and bytes agree index for index there, and the sum is taken
 * from the bytes.
 */
function sealMatches(text: string, bytes: Uint8Array): boolean | null {
  const at = text.lastIndexOf(SEAL)
  if (at === -1 || !/^,"checksum":"[0-9a-f]{8}"\}\s*$/.test(text.slice(at))) return null
  const sum = checksumValueOfAscii(bytes, 0, at, '}')
  return spellsChecksum(text, at + SEAL.length, sum >= 0 ? sum : checksumValue(`${text.slice(0, at)}}`))
}

/**
 * What reading a JSON state file found: its value, nothing (missing), damage (with the reason),
 * or a version this code does not know (`newer`: written by a newer version of the package).
 */
export type JsonRead<T> = { state: 'ok'; value: T } | { state: 'missing' } | { state: 'damaged' | 'newer'; reason: string }


/** Why a state file of another `version` than the `versions` this code reads is left alone. */
export function newerReason(file: string, version: unknown, versions: readonly number[]): string {
  return `${file} has version ${JSON.stringify(version)}, which this version of pnpm-plugin-scratch does not know (it reads ${versions.join(', ')}): a newer version wrote it`
}

/**
 * Reads and parses a JSON state file, telling "missing" apart from "damaged" (unparseable, wrong
 * shape per `isValid`, a checksum that does not match, unreadable) and from "newer" (an intact
 * object with a `version` member that is not one of `versions`), because the gc treats them differently: a damaged
 * file is rebuilt and the run deletes nothing; a newer one is never rewritten, and the run deletes
 * nothing either. A file without `version` is for `isValid` to accept (an older writer's) or not
 * (damaged); see docs/design.md, "State versions". A file over `maxBytes` (default 128 MiB) is
 * damaged without being read, and so is a symbolic link in its place. `versions: 'any'` leaves the
 * version to the caller. `seen.bytes` gets the size of the file read.
 */
export function readJsonFile<T>(
  file: string, isValid: (value: unknown) => value is T, versions: readonly number[] | 'any', maxBytes = MAX_STATE_BYTES, seen?: { bytes: number },
): JsonRead<T> {
  let bytes: Buffer
  try {
    // Never blocks on a FIFO planted in its place, never follows a link planted there, never reads
    // without bound (see docs/design.md, "Store format").
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0))
    try {
      const stat = fs.fstatSync(fd)
      if (!stat.isFile()) return { state: 'damaged', reason: `${file}: not a regular file` }
      if (stat.size > maxBytes) return { state: 'damaged', reason: `${file}: ${stat.size} bytes, more than a state file can be` }
      bytes = fs.readFileSync(fd)
      if (seen !== undefined) seen.bytes = bytes.length
    } finally {
      fs.closeSync(fd)
    }
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return { state: 'missing' }
    if (isErrno(err, 'ELOOP')) return { state: 'damaged', reason: `${file}: a symbolic link, not a file of the store` }
    if (isErrno(err)) return { state: 'damaged', reason: `${file}: ${err.code}` }
    throw err
  }
  const text = bytes.toString('utf8')
  if (sealMatches(text, bytes) === false) return { state: 'damaged', reason: `${file}: checksum mismatch` }
  try {
    const value: unknown = JSON.parse(text)
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const { version } = value as { version?: unknown }
      if (versions !== 'any' && version !== undefined && !versions.includes(version as number)) return { state: 'newer', reason: newerReason(file, version, versions) }
    }
    return isValid(value) ? { state: 'ok', value } : { state: 'damaged', reason: `${file}: unexpected content` }
  } catch {
    return { state: 'damaged', reason: `${file}: not valid JSON` }
  }
}
