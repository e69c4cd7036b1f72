import fs from 'node:fs'
import path from 'node:path'
import { ScratchError, isErrno } from '../errors'
import { errnoHint } from './errno-hint'
import { BOOKKEEPING_DIR, CACHEDIR_TAG, STORE_FORMAT, formatPath } from './layout'

/**
 * What a root directory is, as far as the store is concerned (see docs/design.md, "Store format"):
 * - `missing`: nothing there yet, an empty store;
 * - `empty`: an existing, empty directory, an empty store too;
 * - `marked`: it has a real `.scratch/` directory or a `CACHEDIR.TAG` written by this package;
 * - `foreign`: anything else (another program's directory, a file). Never written to, never swept.
 */
export type StoreMark = 'missing' | 'empty' | 'marked' | 'foreign'

// What every CACHEDIR.TAG this package wrote says (the one of every revision); another program's
// tag has the same signature line but not this.
const OUR_TAG = 'created by pnpm-plugin-scratch'
const TAG_READ_BYTES = 1024

function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file)
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return null
    throw err
  }
}

/** True when `<root>/CACHEDIR.TAG` is a regular file this package wrote (read at most 1 KiB, never a FIFO). */
function hasOurTag(root: string): boolean {
  const tag = path.join(root, CACHEDIR_TAG)
  const stat = lstatOrNull(tag)
  if (stat === null || !stat.isFile()) return false
  const fd = fs.openSync(tag, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0))
  try {
    const buffer = Buffer.alloc(TAG_READ_BYTES)
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0)
    return buffer.toString('utf8', 0, read).includes(OUR_TAG)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * True when `<root>/.scratch` is a real directory (not a link): then `root` is a marked store.
 * One lstat, and no error thrown when it is missing: the check of the usual case, before the
 * full {@link storeMark} (which any error here is left to, to classify or report).
 */
export function hasBookkeepingDir(root: string): boolean {
  try {
    return fs.lstatSync(path.join(root, BOOKKEEPING_DIR), { throwIfNoEntry: false })?.isDirectory() === true
  } catch {
    return false
  }
}

/**
 * Classifies `root` (see {@link StoreMark}). The root itself may be a link to a directory; the
 * `.scratch` inside must be a real directory. Throws the system error when it cannot be read.
 */
export function storeMark(root: string): StoreMark {
  let stat: fs.Stats
  try {
    stat = fs.statSync(root)
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return 'missing'
    // ENOTDIR (a part of the path is a file) and the rest: the caller reports the code.
    throw err
  }
  if (!stat.isDirectory()) return 'foreign'
  const book = lstatOrNull(path.join(root, BOOKKEEPING_DIR))
  if (book?.isDirectory() === true) return 'marked'
  // A bookkeeping directory replaced by a link (or a file): everything written there would land
  // outside the store, so the root is refused like another program's directory.
  if (book !== null && book !== undefined) return 'foreign'
  if (hasOurTag(root)) return 'marked'
  const dir = fs.opendirSync(root)
  let empty: boolean
  try {
    empty = dir.readSync() === null
  } finally {
    dir.closeSync()
  }
  if (empty) return 'empty'
  // Another process may have marked the root between the first look and the listing: the
  // bookkeeping directory is the first thing a store's root ever holds, so look once more.
  return lstatOrNull(path.join(root, BOOKKEEPING_DIR))?.isDirectory() === true ? 'marked' : 'foreign'
}

/** `ERR_SCRATCH_NOT_A_STORE` for `root`. */
function notAStore(root: string): ScratchError {
  return new ScratchError('ERR_SCRATCH_NOT_A_STORE',
    `${root} is not a scratch store: it is not an empty directory, and has no ${BOOKKEEPING_DIR}/ directory nor a ${CACHEDIR_TAG} of pnpm-plugin-scratch; nothing was touched`, {
      hint: 'SCRATCHSPACE_DIR probably points at the wrong directory (such as ~/.cache or /tmp). Point it at one of its own, such as ~/.cache/scratchspace, or unset it.',
    })
}

/**
 * The mark of `root` for a command that reads or sweeps the store: `missing`, `empty` or `marked`.
 * Throws `ERR_SCRATCH_NOT_A_STORE` for a foreign root and a coded error when the root cannot be
 * read, so gc, list and clear never act on another program's files.
 */
export function assertStore(root: string): Exclude<StoreMark, 'foreign'> {
  let mark: StoreMark
  try {
    mark = storeMark(root)
  } catch (err) {
    if (!isErrno(err)) throw err
    throw new ScratchError('ERR_SCRATCH_NOT_WRITABLE', `Cannot read the scratch store ${root} (${err.code})`, {
      hint: err.code === 'EACCES' || err.code === 'EPERM' ? 'Check the permissions of the store directory (scratch path prints it), or set SCRATCHSPACE_DIR.' : errnoHint(err.code), cause: err,
    })
  }
  if (mark === 'foreign') throw notAStore(root)
  return mark
}

/**
 * Why `root` must not be swept, or undefined when it is a store (or empty, or missing): the
 * sweeps run inside installs and turn this into one warning instead of an error.
 */
export function storeProblem(root: string): string | undefined {
  try {
    assertStore(root)
    return undefined
  } catch (err) {
    if (err instanceof ScratchError) return `${err.code}: ${err.message}`
    throw err
  }
}

/** The store format recorded in `root`: a number, null when there is no format file (a store of the first revision), or damaged. */
export type FormatRead = { state: 'ok'; format: number } | { state: 'missing' } | { state: 'damaged'; reason: string }

const FORMAT_LINE = /^([1-9][0-9]{0,8})\n?$/

export function readStoreFormat(root: string): FormatRead {
  const file = formatPath(root)
  try {
    const stat = fs.lstatSync(file)
    if (!stat.isFile() || stat.size > 64) return { state: 'damaged', reason: `${file} is not a small regular file` }
    const match = FORMAT_LINE.exec(fs.readFileSync(file, 'utf8'))
    return match === null ? { state: 'damaged', reason: `${file} does not hold a format number` } : { state: 'ok', format: Number(match[1]) }
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return { state: 'missing' }
    if (isErrno(err)) return { state: 'damaged', reason: `${file}: ${err.code}` }
    throw err
  }
}

/**
 * Why a run must not delete or rewrite anything because of the store format, or undefined: a
 * format newer than this version knows (written by a newer version of the package, whose state
 * this one may misread), or a format file that cannot be read. Missing is fine (first revision).
 */
export function formatHold(root: string): string | undefined {
  const read = readStoreFormat(root)
  if (read.state === 'missing' || (read.state === 'ok' && read.format <= STORE_FORMAT)) return undefined
  if (read.state === 'damaged') return `the store format cannot be read (${read.reason})`
  return `the store has format ${read.format}, newer than this version of pnpm-plugin-scratch understands (${STORE_FORMAT}); upgrade it to clean this store`
}

/** Throws `ERR_SCRATCH_NEWER_FORMAT` when {@link formatHold} gives a reason: for commands that must write. */
export function assertFormatKnown(root: string): void {
  const hold = formatHold(root)
  if (hold === undefined) return
  throw new ScratchError('ERR_SCRATCH_NEWER_FORMAT', `Refusing to change the scratch store ${root}: ${hold}`, {
    hint: 'Run the newest pnpm-plugin-scratch for this store (npx pnpm-plugin-scratch@latest …); getScratch keeps working meanwhile.',
  })
}

/**
 * Writes `<root>/.scratch/format` unless it exists: a temp file, then a hard link to the final
 * name, which never replaces a file another process (perhaps a newer version) wrote meanwhile,
 * and never shows a half-written file. Where hard links are not supported, a rename after a check.
 */
export function writeFormatFile(root: string): void {
  const file = formatPath(root)
  if (fs.existsSync(file)) return
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`)
  fs.writeFileSync(temp, `${STORE_FORMAT}\n`, { flag: 'wx', mode: 0o600 })
  try {
    fs.linkSync(temp, file)
  } catch (err) {
    // EEXIST: another process wrote it first. ENOENT: a gc run removed our temp file as a crashed
    // writer's; it writes the format itself, so there is nothing to do either way.
    if (isErrno(err, 'EEXIST', 'ENOENT')) return
    if (!isErrno(err, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV')) throw err
    if (!fs.existsSync(file)) fs.renameSync(temp, file)
  } finally {
    fs.rmSync(temp, { force: true })
  }
}
