import { isAscii } from 'node:buffer'
import fs from 'node:fs'
import { isErrno } from '../errors'
import { UnknownRecord, appendWhole, openLogToAppend, readLineOrTail, type LogRecord } from '../runtime/access-log'

const READ_CHUNK = 1024 * 1024
// Records are well under 16 KiB (a project path is at most a few KiB); longer lines are garbage.
const MAX_LINE = 64 * 1024

/** What one pass over a log file found besides its records. */
export interface LogRead {
  /** Non-empty lines that were damaged (bad checksum, torn, impossible values). */
  damaged: number
  /** The offset just past the last complete (newline-terminated) line, where a later read resumes. */
  end: number
  /** Intact lines holding records this version does not understand (a newer writer's). */
  unknown: number
  /** The first of them: its line number (counted from `from`) and what was not understood. */
  firstUnknown?: string
}

/**
 * Calls `onRecord` for every intact record of `file` from byte `from` on, streaming (1 MiB at a
 * time, whatever the file's size), and `onUnknown` for every intact line whose record this
 * version does not understand. Returns what else it found (see {@link LogRead}). A line longer
 * than 64 KiB is damaged without being kept in memory. A missing file has no records; a file
 * that is not a regular file (a FIFO, socket or link planted in its place: never followed) is not
 * read and counts as one damaged line.
 */
export function forEachRecord(
  file: string, onRecord: (record: LogRecord) => void, from = 0, onUnknown?: (unknown: UnknownRecord) => void,
): LogRead {
  let fd: number
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0))
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return { damaged: 0, end: 0, unknown: 0 }
    // A link (never followed), or a socket (no file to read), planted in its place.
    if (isErrno(err, 'ELOOP', 'ENXIO')) return { damaged: 1, end: 0, unknown: 0 }
    throw err
  }
  const buffer = Buffer.allocUnsafe(READ_CHUNK)
  const found: LogRead = { damaged: 0, end: from, unknown: 0 }
  let damaged = 0
  let end = from
  let lineNo = 0
  // `at`: where the line's bytes start in `buffer` when they are all ASCII (see readLineOrTail).
  const line = (text: string, at?: number): void => {
    lineNo++
    if (text === '') return
    const read = readLineOrTail(text, at === undefined ? undefined : buffer, at)
    if (read === null) damaged++
    else if (!(read instanceof UnknownRecord)) onRecord(read)
    else {
      if (found.unknown++ === 0) found.firstUnknown = `line ${lineNo}: ${read.what}`
      onUnknown?.(read)
    }
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return { ...found, damaged: 1 }
    let carry: Buffer[] = []
    let carried = 0
    let overlong = false
    let position = from
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, position)
      if (read === 0) break
      let start = 0
      const first = buffer.indexOf(10, 0)
      if (first !== -1 && first < read) {
        // The line the previous chunk began ends here.
        if (overlong) {
          damaged++
          lineNo++
          overlong = false
        } else if (carried > 0) {
          line(Buffer.concat([...carry, buffer.subarray(0, first)]).toString('utf8'))
        } else {
          line(buffer.toString('utf8', 0, first))
        }
        carry = []
        carried = 0
        start = first + 1
        // The chunk's other complete lines are decoded as one string and cut at its newlines: a
        // newline byte is never part of a multi-byte sequence, so each line reads as it would
        // alone, and one decode per chunk instead of one per line is most of a warm gc's reading
        // (docs/design.md, "The warm gc").
        const last = buffer.lastIndexOf(10, read - 1)
        if (last > first) {
          const text = buffer.toString('utf8', start, last)
          // All ASCII (as records are unless a path or name is not): a line's offset in the text is its offset in the bytes.
          const base = isAscii(buffer.subarray(start, last)) ? start : undefined
          let from = 0
          for (let stop = text.indexOf('\n'); stop !== -1; stop = text.indexOf('\n', from)) {
            line(text.slice(from, stop), base === undefined ? undefined : base + from)
            from = stop + 1
          }
          line(text.slice(from), base === undefined ? undefined : base + from)
          start = last + 1
        }
        end = position + start
      }
      position += read
      if (start < read && !overlong) {
        carried += read - start
        if (carried > MAX_LINE) {
          overlong = true
          carry = []
          carried = 0
        } else {
          carry.push(Buffer.from(buffer.subarray(start, read)))
        }
      }
    }
    if (overlong) damaged++
    else if (carried > 0) line(Buffer.concat(carry).toString('utf8'))
  } finally {
    fs.closeSync(fd)
  }
  return { ...found, damaged, end }
}

/**
 * Appends `text` (whole lines) to the log `file` in one write on an `O_APPEND` descriptor, as
 * writers do (never through a link); throws `ENOSPC` for a write cut short (see `appendWhole`).
 */
export function appendLines(file: string, text: string): void {
  const fd = openLogToAppend(file)
  try {
    appendWhole(fd, text)
  } finally {
    fs.closeSync(fd)
  }
}
