import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Parser, type ReadEntry } from 'tar'
import { ScratchError, isErrno } from '../errors'
import { notWritable } from '../runtime/store-root'
import { integrityMatches, type ExpectedIntegrity } from './integrity'
import { assertLinkInside, assertLinkTarget, safeEntryPath, unsafe } from './safety'

// deflate cannot exceed about 1032:1, so gzip never trips this; a zstd or brotli bomb still does.
const MAX_DECOMPRESSION_RATIO = 1100
const CREATE_FILE = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0)

/**
 * Extracts the archive `file` (gzip or plain tar) into `dest`, an empty directory the caller
 * owns, reading the file once and hashing it on the way. Only regular files, directories and
 * relative links that stay inside `dest` are accepted; everything else (absolute or `..` paths,
 * hard links, devices, FIFOs, unknown types, duplicate paths, entries below a link or a file)
 * throws `ERR_SCRATCH_UNSAFE_ARCHIVE` as soon as its header is read, before anything is written
 * for it. Nothing is ever written through a link: parents are checked to be real directories,
 * and files are created with `O_EXCL | O_NOFOLLOW`. Links are checked once more at the end,
 * following chains on disk. Modes are normalised (0755 for directories and files with any
 * execute bit, else 0644, less the umask); times and owners are not restored.
 * With `limits.maxBytes`, extraction stops with `ERR_SCRATCH_UNSAFE_ARCHIVE` as soon as the
 * file contents would exceed that many bytes (checked against each entry's declared size before
 * it is written, and against the bytes actually written), so a small archive that expands to
 * gigabytes cannot fill the disk.
 * With `expected`, a digest mismatch throws `ERR_SCRATCH_INTEGRITY`, and wins over any other
 * error of the archive (a file that is not the expected one is reported as such). On error
 * `dest` may hold partial content: the caller removes it.
 */
export async function unpackArchive(file: string, dest: string, expected: ExpectedIntegrity | null, limits: UnpackLimits = {}): Promise<void> {
  const extractor = new Extractor(file, dest, limits.maxBytes ?? Infinity)
  const hash = createHash(expected?.algorithm ?? 'sha512')
  const parser = new Parser({ strict: true, maxDecompressionRatio: MAX_DECOMPRESSION_RATIO, onReadEntry: (entry) => extractor.add(entry) })
  let failure: unknown
  let sawEnd = false
  let entries = 0
  parser.on('entry', () => { entries += 1 })
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    failure ??= unsafe(file, `entry ${JSON.stringify(entry.path)} has an unsupported type ${entry.type}`)
  })
  parser.on('eof', () => { sawEnd = true })
  const parsed = new Promise<void>((resolve) => {
    parser.on('end', resolve)
    parser.on('error', (err: Error & { tarCode?: string }) => {
      // An archive of nothing but its end marker is valid (an empty space); node-tar calls it unrecognised.
      if (!(err.tarCode === 'TAR_BAD_ARCHIVE' && sawEnd && entries === 0)) {
        failure ??= new ScratchError('ERR_SCRATCH_UNSAFE_ARCHIVE', `Cannot read scratch archive ${file}: ${err.message}`, {
          hint: 'The file is damaged or not a .tar.gz written by exportScratch.', cause: err,
        })
      }
      resolve()
    })
  })
  try {
    for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
      hash.update(chunk)
      failure ??= extractor.failure
      if (failure === undefined) parser.write(chunk)
      else if (expected === null) break
    }
    if (failure === undefined) {
      parser.end()
      await parsed
    }
  } finally {
    extractor.close()
  }
  failure ??= extractor.failure
  if (expected !== null && !integrityMatches(expected, hash.digest())) {
    throw new ScratchError('ERR_SCRATCH_INTEGRITY', `Scratch archive ${file} does not match integrity ${expected.text}`, {
      hint: 'The file changed or is not the archive the integrity was taken from; nothing was installed.',
      cause: failure,
    })
  }
  if (failure !== undefined) throw failure
  if (!sawEnd) throw unsafe(file, 'the archive ends before its end-of-archive marker (truncated?)')
  extractor.checkLinks()
}

/** Bounds on what an archive may unpack to. */
export interface UnpackLimits {
  /** Most bytes of file content the archive may unpack to; default unbounded. */
  maxBytes?: number
}

/** Writes accepted entries under `dest`; remembers the first failure instead of throwing into node-tar. */
class Extractor {
  failure: unknown
  private readonly dirs = new Set<string>([''])
  private readonly links: string[] = []
  private fd: number | null = null
  private written = 0
  private current = ''
  private declared = 0

  constructor(private readonly file: string, private readonly dest: string, private readonly maxBytes: number) {}

  private tooBig(): ScratchError {
    return unsafe(this.file, `it unpacks to more than the limit of ${this.maxBytes} bytes (maxBytes / --max-bytes); nothing was installed`)
  }

  add(entry: ReadEntry): void {
    if (this.failure !== undefined) return void entry.resume()
    try {
      this.write(entry)
    } catch (err) {
      this.failure = isErrno(err) ? entryFailure(this.file, entry.path, err) : err
      this.close()
      entry.resume()
    }
  }

  /** Follows every extracted link on disk; throws when one leads outside `dest`. */
  checkLinks(): void {
    for (const rel of this.links) assertLinkInside(this.file, this.dest, rel)
  }

  close(): void {
    if (this.fd === null) return
    fs.closeSync(this.fd)
    this.fd = null
  }

  private write(entry: ReadEntry): void {
    const rel = safeEntryPath(this.file, entry.path)
    const abs = path.join(this.dest, ...rel.split('/'))
    switch (entry.type) {
      case 'Directory':
        this.ensureDir(rel)
        return void entry.resume()
      case 'File':
      case 'OldFile':
      case 'ContiguousFile':
        if (rel === '') throw unsafe(this.file, `entry ${JSON.stringify(entry.path)} is a file in place of the space`)
        this.declared += entry.size ?? 0
        if (this.declared > this.maxBytes) throw this.tooBig()
        this.ensureDir(parentOf(rel))
        this.current = entry.path
        this.fd = this.exclusive(rel, () => fs.openSync(abs, CREATE_FILE, ((entry.mode ?? 0) & 0o111) !== 0 ? 0o755 : 0o644))
        entry.on('data', (chunk: Buffer) => this.writeChunk(chunk))
        entry.on('end', () => this.close())
        return
      case 'SymbolicLink': {
        const target = entry.linkpath ?? ''
        if (rel === '') throw unsafe(this.file, `entry ${JSON.stringify(entry.path)} is a link in place of the space`)
        assertLinkTarget(this.file, rel, target)
        this.ensureDir(parentOf(rel))
        this.exclusive(rel, () => fs.symlinkSync(target, abs))
        this.links.push(rel)
        return void entry.resume()
      }
      case 'Link':
        throw unsafe(this.file, `entry ${JSON.stringify(entry.path)} is a hard link (to ${JSON.stringify(entry.linkpath)}); scratch archives never hold hard links`)
      default:
        throw unsafe(this.file, `entry ${JSON.stringify(entry.path)} is a ${entry.type}, not a file, directory or link`)
    }
  }

  private writeChunk(chunk: Buffer): void {
    if (this.fd === null) return
    this.written += chunk.length
    if (this.written > this.maxBytes) {
      // A size header that lies (pax, or a stream longer than declared) is caught here.
      this.failure ??= this.tooBig()
      this.close()
      return
    }
    try {
      for (let offset = 0; offset < chunk.length;) offset += fs.writeSync(this.fd, chunk, offset)
    } catch (err) {
      this.failure ??= isErrno(err) ? entryFailure(this.file, this.current, err) : err
      this.close()
    }
  }

  /** Runs a create that must not meet an existing path: a second entry with the same path is refused. */
  private exclusive<T>(rel: string, create: () => T): T {
    try {
      return create()
    } catch (err) {
      if (isErrno(err, 'EEXIST')) throw unsafe(this.file, `entry ${JSON.stringify(rel)} appears twice`)
      throw err
    }
  }

  /** Makes `rel` and its parents real directories (0755 less the umask); a link or file in the way is refused. */
  private ensureDir(rel: string): void {
    if (this.dirs.has(rel)) return
    this.ensureDir(parentOf(rel))
    const abs = path.join(this.dest, ...rel.split('/'))
    try {
      fs.mkdirSync(abs, { mode: 0o755 })
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err
      // Also catches a name that differs only in case from a link, on case-insensitive file systems.
      if (!fs.lstatSync(abs).isDirectory()) throw unsafe(this.file, `${JSON.stringify(rel)} is a link or file where a directory is needed`)
    }
    this.dirs.add(rel)
  }
}

/**
 * A system error met while writing entry `entryPath` of `archive`, as a coded error: a name the
 * file system cannot hold (ENAMETOOLONG: over 255 bytes a component) makes the archive unsafe to
 * install here; anything else (a full disk) is about the store, with a hint for that code.
 */
function entryFailure(archive: string, entryPath: string, err: NodeJS.ErrnoException): ScratchError {
  if (err.code === 'ENAMETOOLONG') {
    return unsafe(archive, `entry ${JSON.stringify(entryPath)} has a name longer than the file system allows (ENAMETOOLONG)`, err)
  }
  return notWritable(archive, err, `import ${JSON.stringify(entryPath)} of`)
}

function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/')
  return slash === -1 ? '' : rel.slice(0, slash)
}
