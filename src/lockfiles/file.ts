import { isAscii } from 'node:buffer'
import fs from 'node:fs'
import { isNativeError } from 'node:util/types'

/**
 * The largest lockfile or manifest read (256 MiB). The biggest real lockfiles are a few MiB; past
 * this a file is damage or a trap, and reading it would cost the memory of every hook call.
 */
export const MAX_READ_BYTES = 256 * 1024 * 1024

/** The outcome of {@link readRegularFile}: the text, or why there is none. */
export type FileText =
  | { ok: true; text: string }
  | { ok: false; reason: string; code: string | null }

// O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer; on a regular
// file it changes nothing. Windows has no such flag (and no FIFOs on the file system).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0)

/**
 * Reads `file` as UTF-8 only when it is a regular file (after symlinks) of at most `maxBytes`.
 * Opens without blocking and checks the open descriptor with `fstat` before reading a byte, so a
 * FIFO, a socket or a device (`/dev/zero`, a link to one) is refused without blocking or growing
 * without bound, and a file swapped after a `stat` cannot slip through. Never throws for a
 * system error: `code` is the errno code (`ENOENT`, `EACCES`, `EISDIR`, …), or `null` for a
 * file of the wrong type or size.
 */
export function readRegularFile(file: string, maxBytes = MAX_READ_BYTES): FileText {
  const read = readRegularBytes(file, maxBytes, true)
  return read.ok ? { ok: true, text: decodeUtf8(read.bytes) } : read
}

/**
 * {@link readRegularFile} before the bytes become text: they may sit in the buffer text reads
 * share (files up to 4 MiB), valid until the next read, so the caller reads them (or
 * {@link decodeUtf8}s them) at once.
 */
export function readRegularFileShared(file: string, maxBytes = MAX_READ_BYTES): { ok: true; bytes: Buffer } | Extract<FileText, { ok: false }> {
  return readRegularBytes(file, maxBytes, true)
}

/**
 * The bytes as UTF-8 text. Pure ASCII (what lockfiles almost always are) decodes as latin1, which
 * gives the same string and skips the UTF-8 decoder's work (docs/design.md, "Reading lockfiles fast").
 */
export function decodeUtf8(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8')
}

/** {@link readRegularFile} for binary content: the bytes, or `null` for any failure. */
export function readRegularFileBuffer(file: string, maxBytes = MAX_READ_BYTES): Buffer | null {
  const read = readRegularBytes(file, maxBytes, false)
  return read.ok ? read.bytes : null
}

/**
 * Text reads go through one buffer, kept between reads up to this size: a fresh buffer per file
 * costs its pages' first touch, a quarter of reading a cached lockfile.
 */
const SCRATCH_BYTES = 4 * 1024 * 1024
let scratch: Buffer | null = null

function bufferFor(bytes: number, reuse: boolean): Buffer {
  if (!reuse || bytes > SCRATCH_BYTES) return Buffer.allocUnsafe(bytes)
  if (scratch === null || scratch.length < bytes) scratch = Buffer.allocUnsafe(Math.min(SCRATCH_BYTES, Math.max(bytes, 512 * 1024)))
  return scratch
}

/**
 * The file's bytes. With `reuse`, they may sit in the shared scratch buffer: valid until the
 * next read, so the caller decodes them at once.
 */
function readRegularBytes(file: string, maxBytes: number, reuse: boolean): { ok: true; bytes: Buffer } | { ok: false; reason: string; code: string | null } {
  let fd: number
  try {
    fd = fs.openSync(file, OPEN_FLAGS)
  } catch (err) {
    return systemFailure(err)
  }
  try {
    const stat = fs.fstatSync(fd)
    if (!stat.isFile()) return { ok: false, reason: `not a regular file (${typeName(stat)}); not read`, code: null }
    if (stat.size > maxBytes) return { ok: false, reason: `larger than ${mib(maxBytes)} (${stat.size} bytes); not read`, code: null }
    // Room for one byte more than fstat gave tells the end from a file that grew; read to the
    // end, never past the cap.
    let buffer = bufferFor(stat.size + 1, reuse)
    let total = 0
    for (;;) {
      if (total === buffer.length) {
        if (total > maxBytes) return { ok: false, reason: `larger than ${mib(maxBytes)}; not read`, code: null }
        const grown = Buffer.allocUnsafe(Math.min(Math.max(total * 2, 64 * 1024), maxBytes + 1))
        buffer.copy(grown, 0, 0, total)
        buffer = grown
      }
      const n = fs.readSync(fd, buffer, total, Math.min(buffer.length, maxBytes + 1) - total, null)
      if (n === 0) break
      total += n
      if (total > maxBytes) return { ok: false, reason: `larger than ${mib(maxBytes)}; not read`, code: null }
    }
    return { ok: true, bytes: buffer.subarray(0, total) }
  } catch (err) {
    return systemFailure(err)
  } finally {
    fs.closeSync(fd)
  }
}

function systemFailure(err: unknown): { ok: false; reason: string; code: string } {
  if (!isNativeError(err) || !('code' in err) || typeof err.code !== 'string') throw err
  return { ok: false, reason: `cannot read: ${err.code}`, code: err.code }
}

function typeName(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO'
  if (stat.isCharacterDevice()) return 'a character device'
  if (stat.isBlockDevice()) return 'a block device'
  if (stat.isSocket()) return 'a socket'
  if (stat.isDirectory()) return 'a directory'
  return 'not a file'
}

function mib(bytes: number): string {
  return `${bytes / (1024 * 1024)} MiB`
}
