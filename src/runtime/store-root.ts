import fs from 'node:fs'
import path from 'node:path'
import { ScratchError, isErrno } from '../errors'
import { CACHEDIR_TAG, CACHEDIR_TAG_CONTENT } from './layout'

const prepared = new Set<string>()
const warned = new Set<string>()

/**
 * Errnos that mean "this location cannot be written", as opposed to a bug or a full disk.
 * ENOTDIR: a part of the path is a file (SCRATCHSPACE_DIR pointing below one, say).
 */
export const NOT_WRITABLE_ERRNOS = ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR'] as const

/**
 * Creates the store root (0700) and its `CACHEDIR.TAG` once per process and root, and again
 * if the root was removed meanwhile (it is only called when something is about to be written).
 * A tag that already exists is left alone. Throws the system error when the root cannot be created.
 */
export function prepareStoreRoot(root: string): void {
  const exists = fs.existsSync(root)
  if (exists && prepared.has(root)) return
  if (!exists) fs.mkdirSync(root, { recursive: true, mode: 0o700 })
  writeCachedirTag(root)
  prepared.add(root)
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

/** `ERR_SCRATCH_NOT_WRITABLE` for `target`, with the hint every unwritable-store error shares. */
export function notWritable(target: string, cause: unknown): ScratchError {
  const code = isErrno(cause) ? cause.code : 'error'
  return new ScratchError('ERR_SCRATCH_NOT_WRITABLE', `Cannot create scratch space ${target} (${code})`, {
    hint: 'The scratch store is not writable here. Set SCRATCHSPACE_DIR to a writable directory.',
    cause,
  })
}

/** Writes one warning line to stderr, at most once per process for each `topic`. */
export function warnOnce(topic: string, message: string): void {
  if (warned.has(topic)) return
  warned.add(topic)
  process.stderr.write(`pnpm-plugin-scratch: warning: ${message}\n`)
}
