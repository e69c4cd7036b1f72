import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'
import { ScratchError, isErrno } from '../errors'
import { notWritable } from '../runtime/store-root'
import { toSri } from './integrity'
import { collectEntries, tarStream } from './pack'

// A fixed level keeps the deflate output (and the XFL header byte) the same on every run.
const GZIP_LEVEL = 6
// zlib writes mtime 0 into the gzip header, but the OS byte follows the platform zlib was built
// for; it is pinned to 3 (Unix) so Windows and POSIX give the same bytes.
const GZIP_OS_OFFSET = 9
const GZIP_OS_UNIX = 3

/** The result of an export: the SRI integrity of the archive file and its size in bytes. */
export interface ExportResult {
  integrity: string
  bytes: number
}

/**
 * Writes the space directory `spacePath` to `file` as a deterministic `.tar.gz` (see
 * `exportScratch`) and returns its `sha512` SRI integrity and size. The archive is written to a
 * temporary file beside `file`, synced and renamed over it, so `file` is either the old one or
 * the whole new one. Throws `ERR_SCRATCH_USAGE` when the space is missing or `file` lies inside
 * it, `ERR_SCRATCH_UNSAFE_ARCHIVE` (before anything is written) for content that cannot be
 * archived safely, and the system error when `file` cannot be written.
 */
export async function exportSpace(spacePath: string, file: string): Promise<ExportResult> {
  assertSpaceDir(spacePath)
  assertOutsideSpace(spacePath, file)
  const entries = collectEntries(spacePath)
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomUUID()}.tmp`)
  const hash = createHash('sha512')
  let bytes = 0
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let out = chunk
      if (bytes <= GZIP_OS_OFFSET && bytes + chunk.length > GZIP_OS_OFFSET) {
        out = Buffer.from(chunk)
        out[GZIP_OS_OFFSET - bytes] = GZIP_OS_UNIX
      }
      hash.update(out)
      bytes += out.length
      done(null, out)
    },
  })
  let moved = false
  try {
    await pipeline(
      Readable.from(tarStream(entries), { objectMode: false }),
      zlib.createGzip({ level: GZIP_LEVEL }),
      tap,
      fs.createWriteStream(temp, { flags: 'wx', mode: 0o644 }),
    )
    syncFile(temp)
    fs.renameSync(temp, file)
    moved = true
  } catch (err) {
    throw isErrno(err) ? archiveFileError(file, err) : err
  } finally {
    if (!moved) fs.rmSync(temp, { force: true })
  }
  return { integrity: toSri('sha512', hash.digest()), bytes }
}

/**
 * A system error writing the archive `file`, as a coded error naming it: a directory that does
 * not exist is `ERR_SCRATCH_NOT_FOUND` (also what a name with bytes that are not UTF-8 becomes,
 * as Node.js replaces them in strings); the rest (no permission, a full disk, a name too long)
 * is `ERR_SCRATCH_NOT_WRITABLE` with a hint for its code.
 */
function archiveFileError(file: string, err: NodeJS.ErrnoException): ScratchError {
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
    return new ScratchError('ERR_SCRATCH_NOT_FOUND', `Cannot write scratch archive ${file}: directory ${path.dirname(file)} does not exist (${err.code})`, {
      hint: 'Create the directory first, or write the archive into an existing one. A name with bytes that are not valid UTF-8 cannot be passed as a string path.',
      cause: err,
    })
  }
  return notWritable(file, err, 'write scratch archive')
}

function assertSpaceDir(spacePath: string): void {
  let isDir = false
  try {
    isDir = fs.statSync(spacePath).isDirectory()
  } catch (err) {
    if (!isErrno(err, 'ENOENT', 'ENOTDIR')) throw err
  }
  if (!isDir) {
    throw new ScratchError('ERR_SCRATCH_USAGE', `Scratch space ${spacePath} does not exist, so there is nothing to export`, {
      hint: 'Check the key and owner, or create the space first with getScratch or ensureScratch.',
    })
  }
}

/** Refuses an archive path inside the space: the walk would meet the half-written archive. */
function assertOutsideSpace(spacePath: string, file: string): void {
  let parent: string
  try {
    parent = fs.realpathSync(path.dirname(file))
  } catch (err) {
    // A missing directory fails with its own error when the archive is created.
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return
    throw err
  }
  const space = fs.realpathSync(spacePath)
  const target = path.join(parent, path.basename(file))
  if (target === space || target.startsWith(space + path.sep)) {
    throw new ScratchError('ERR_SCRATCH_USAGE', `Cannot export scratch space ${spacePath} into itself (${file})`, {
      hint: 'Write the archive to a path outside the space.',
    })
  }
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}
