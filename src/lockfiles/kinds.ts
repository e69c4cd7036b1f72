import type { LockfileKind } from './types'

/** What identifies one lockfile kind on disk. */
export interface LockfileKindInfo {
  /** Project-relative, `/`-separated file names of this kind, in detection order. */
  files: readonly string[]
}

/**
 * The one table of lockfile kinds: every kind and the files that mark a project directory.
 * Detection order is this table's order, file by file (pnpm, npm, yarn, bun, deno, then npm's
 * hidden lockfile below `node_modules`). Adding a kind to `LockfileKind` without a row here is a
 * type error.
 */
export const LOCKFILE_KINDS = {
  pnpm: { files: ['pnpm-lock.yaml'] },
  npm: { files: ['package-lock.json', 'npm-shrinkwrap.json'] },
  yarn: { files: ['yarn.lock'] },
  bun: { files: ['bun.lock', 'bun.lockb'] },
  deno: { files: ['deno.lock'] },
  'npm-hidden': { files: ['node_modules/.package-lock.json'] },
} as const satisfies Record<LockfileKind, LockfileKindInfo>

/** Every lockfile file name of {@link LOCKFILE_KINDS}, in detection order. */
export const LOCKFILE_FILES: readonly string[] = Object.freeze(
  Object.values(LOCKFILE_KINDS).flatMap((info): readonly string[] => info.files),
)
