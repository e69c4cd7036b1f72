import type { LockfileKind, PackageManagerName } from './types'

/** What identifies one lockfile kind on disk. */
export interface LockfileKindInfo {
  /** Project-relative, `/`-separated file names of this kind, in detection order. */
  files: readonly string[]
  /** The package manager that writes it (what `scratch init` wires for a project with this lockfile). */
  manager: PackageManagerName
}

/**
 * The one table of lockfile kinds: every kind and the files that mark a project directory.
 * Detection order is this table's order, file by file (pnpm, npm, yarn, bun, deno, then npm's
 * hidden lockfile below `node_modules`). Adding a kind to `LockfileKind` without a row here is a
 * type error.
 */
export const LOCKFILE_KINDS = {
  pnpm: { files: ['pnpm-lock.yaml'], manager: 'pnpm' },
  npm: { files: ['package-lock.json', 'npm-shrinkwrap.json'], manager: 'npm' },
  yarn: { files: ['yarn.lock'], manager: 'yarn' },
  bun: { files: ['bun.lock', 'bun.lockb'], manager: 'bun' },
  deno: { files: ['deno.lock'], manager: 'deno' },
  'npm-hidden': { files: ['node_modules/.package-lock.json'], manager: 'npm' },
} as const satisfies Record<LockfileKind, LockfileKindInfo>

/** Every lockfile file name of {@link LOCKFILE_KINDS}, in detection order. */
export const LOCKFILE_FILES: readonly string[] = Object.freeze(
  Object.values(LOCKFILE_KINDS).flatMap((info): readonly string[] => info.files),
)
