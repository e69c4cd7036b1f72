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
  const read = readRegularBytes(file, maxBytes)
  return read.ok ? { ok: true, text: read.bytes.toString('utf8') } : read
}

/** {@link readRegularFile} for binary content: the bytes, or `null` for any failure. */
export function readRegularFileBuffer(file: string, maxBytes = MAX_READ_BYTES): Buffer | null {
  const read = readRegularBytes(file, maxBytes)
  return read.ok ? read.bytes : null
}

function readRegularBytes(file: string, maxBytes: number): { ok: true; bytes: Buffer } | { ok: false; reason: string; code: string | null } {
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
    const chunks: Buffer[] = []
    let total = 0
    // Read to the end (the file may have grown since fstat), never past the cap.
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size - total, 64 * 1024), maxBytes + 1 - total))
      const n = fs.readSync(fd, chunk, 0, chunk.length, null)
      if (n === 0) break
      total += n
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n))
      if (total > maxBytes) return { ok: false, reason: `larger than ${mib(maxBytes)}; not read`, code: null }
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) }
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
