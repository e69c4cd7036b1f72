import { types } from 'node:util'

/** Every error code the package raises. Tests and callers match on these, never on message text. */
export type ScratchErrorCode =
  | 'ERR_SCRATCH_INVALID_KEY'
  | 'ERR_SCRATCH_INVALID_OWNER'
  | 'ERR_SCRATCH_OWNER_NOT_FOUND'
  | 'ERR_SCRATCH_INVALID_VERSION'
  | 'ERR_SCRATCH_NOT_WRITABLE'
  | 'ERR_SCRATCH_LOCKED'
  | 'ERR_SCRATCH_INTEGRITY'
  | 'ERR_SCRATCH_UNSAFE_ARCHIVE'
  | 'ERR_SCRATCH_USAGE'
  | 'ERR_SCRATCH_NOT_A_STORE'
  | 'ERR_SCRATCH_NEWER_FORMAT'
  | 'ERR_SCRATCH_NOT_FOUND'

/**
 * The one error class of the package. `message` names the offending value (key, owner, path);
 * `hint` says what the user can do about it; `cause` keeps the underlying system error, if any.
 */
export class ScratchError extends Error {
  readonly code: ScratchErrorCode
  readonly hint?: string

  constructor(code: ScratchErrorCode, message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'ScratchError'
    this.code = code
    if (opts.hint !== undefined) this.hint = opts.hint
  }
}

/**
 * True when `err` is a Node system error with one of the given errno codes (any code when none
 * are given). `isNativeError` rather than `instanceof Error`: errors thrown by `fs` in another
 * realm (jest's sandbox, a vm context) are not instances of this realm's `Error`.
 */
export function isErrno(err: unknown, ...codes: string[]): err is NodeJS.ErrnoException {
  // A ScratchError carries a `code` too, but it is ours, never a system error. Every bundle of
  // the package shares the runtime entry's class (docs/design.md, "Package layout").
  if (!types.isNativeError(err) || err instanceof ScratchError) return false
  const { code } = err as NodeJS.ErrnoException
  return typeof code === 'string' && (codes.length === 0 || codes.includes(code))
}
