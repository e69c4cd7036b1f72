import fs from 'node:fs'
import path from 'node:path'
import { ScratchError, isErrno } from '../errors'
import { BOOKKEEPING_DIR, CACHEDIR_TAG, CACHEDIR_TAG_CONTENT, bookkeepingDir } from './layout'
import { hasBookkeepingDir, storeMark, writeFormatFile } from './store-mark'
import { errnoHint } from './errno-hint'
import { makeDirs } from './dirs'

// root → whether it is a store this process may mark and track in (false: another program's directory).
const prepared = new Map<string, boolean>()
const warned = new Set<string>()

/**
 * Errnos that mean "this location cannot be written", as opposed to a bug or a full disk.
 * ENOTDIR: a part of the path is a file (SCRATCHSPACE_DIR pointing below one, say).
 */
export const NOT_WRITABLE_ERRNOS = ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR'] as const

/**
 * Makes sure the store is marked before anything is written into it, once per process and root
 * (and again if the root was removed meanwhile): creates the root (0700) when missing, then the
 * bookkeeping directory, its `format` file and `CACHEDIR.TAG` (see docs/design.md, "Store
 * format"), in that order, so any other process that sees content in the root also sees the
 * mark. Returns false, marking nothing, for a root that already holds other programs' files
 * (a `SCRATCHSPACE_DIR` pointed at `~/.cache` by mistake): spaces still work there, but are not
 * tracked, and gc refuses that root. Throws the system error when the root cannot be created.
 */
export function prepareStoreRoot(root: string): boolean {
  const known = prepared.get(root)
  if (known !== undefined && fs.existsSync(root)) return known
  // The usual store has its bookkeeping directory: one lstat says it is marked and needs no
  // mkdir (docs/design.md, "The first call"). Anything else is classified in full.
  if (!hasBookkeepingDir(root)) {
    const mark = storeMark(root)
    if (mark === 'missing') makeDirs(root)
    if (mark === 'foreign') {
      prepared.set(root, false)
      warnOnce(`foreign:${root}`, `${root} is not a scratch store (other files, no ${BOOKKEEPING_DIR}/): ` +
        'spaces made there are untracked and gc refuses it. Point SCRATCHSPACE_DIR at a directory of its own.')
      return false
    }
    try {
      fs.mkdirSync(bookkeepingDir(root), { mode: 0o700 })
    } catch (err) {
      // Another process made it since the check above.
      if (!isErrno(err, 'EEXIST')) throw err
    }
  }
  writeFormatFile(root)
  writeCachedirTag(root)
  prepared.set(root, true)
  return true
}

/** Writes `CACHEDIR.TAG` unless present (no-clobber via `wx`, so concurrent writers are fine). */
export function writeCachedirTag(root: string): void {
  // Checked first: the usual case is a tag that exists, and a failed `wx` open costs a thrown
  // error (~0.1 ms) on the first getScratch of every process.
  const tag = path.join(root, CACHEDIR_TAG)
  if (fs.existsSync(tag)) return
  try {
    fs.writeFileSync(tag, CACHEDIR_TAG_CONTENT, { flag: 'wx', mode: 0o644 })
  } catch (err) {
    if (!isErrno(err, 'EEXIST')) throw err
  }
}

/**
 * `ERR_SCRATCH_NOT_WRITABLE` for `target`, naming the system error code, with a hint for that
 * code (a full disk, a path too long, a location like /proc that cannot hold directories).
 */
export function notWritable(target: string, cause: unknown, what = 'create scratch space'): ScratchError {
  const code = isErrno(cause) ? cause.code : undefined
  return new ScratchError('ERR_SCRATCH_NOT_WRITABLE', `Cannot ${what} ${target} (${code ?? 'error'})`, { hint: errnoHint(code), cause })
}

/** Writes one warning line to stderr, at most once per process for each `topic`. */
export function warnOnce(topic: string, message: string): void {
  if (warned.has(topic)) return
  warned.add(topic)
  process.stderr.write(`pnpm-plugin-scratch: warning: ${message}\n`)
}
