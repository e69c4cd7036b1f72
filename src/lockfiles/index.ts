export { kindFromFileName, LOCKFILE_FILES, lockfilesIn } from './detect'
export { namesFromPnpmLockfileObject } from './pnpm'
export { parseLockfile, readLockfile } from './read'
export type { LockfileKind, LockfileNames, LockfileRead } from './types'
