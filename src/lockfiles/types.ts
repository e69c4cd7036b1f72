/**
 * The lockfile formats a project can have; `npm-hidden` is npm's `node_modules/.package-lock.json`.
 * Each has its row in `LOCKFILE_KINDS` (kinds.ts).
 */
export type LockfileKind = 'pnpm' | 'npm' | 'npm-hidden' | 'yarn' | 'bun' | 'deno'

/** The package managers `scratch init` can wire a project for. */
export type PackageManagerName = 'npm' | 'pnpm' | 'yarn' | 'bun' | 'deno'

/** What one lockfile says about the package names a project uses. */
export interface LockfileNames {
  /** Every package name the lockfile lists (any version), plus dependency aliases and real names behind them. */
  names: Set<string>
  /**
   * Project-relative, `/`-separated directories of the lockfile's own importers / workspace members,
   * always including `'.'`, so the caller can add the names from their `package.json` files.
   * A directory listed here may no longer exist.
   */
  importerDirs: string[]
  /**
   * Importer directory → the direct dependency names (or aliases) the lockfile records for it,
   * for formats that record them (pnpm). Lets the caller check them against each `package.json`.
   */
  importerDeps?: Map<string, string[]>
  /**
   * Dependencies whose real package name the lockfile does not record: only an alias and a
   * tarball URL, git or `file:`/`link:`/`portal:` specifier (yarn). The alias is in `names`; the
   * caller must find the real name from the installed package (`resolveInstalledNames`) or
   * treat the project as unknown.
   */
  unresolved?: UnresolvedDep[]
}

/** A dependency known only by its alias and specifier. */
export interface UnresolvedDep {
  alias: string
  specifier: string
}

/**
 * The outcome of reading a lockfile. `ok: false` means "unknown": the caller must treat the
 * project's names as unknown, never as empty.
 */
export type LockfileRead =
  | ({ ok: true; kind: LockfileKind } & LockfileNames)
  | { ok: false; kind: LockfileKind | null; reason: string }

/** A format reader's result before the kind is attached. */
export type NamesResult = ({ ok: true } & LockfileNames) | { ok: false; reason: string }

/** Shorthand for a failed read. */
export function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason }
}

/** True for a plain JSON/YAML mapping (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A JSON lockfile's top-level object, or the failed read saying why it is not one. */
export function jsonObject(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; reason: string } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return fail(`invalid JSON: ${(err as Error).message}`)
  }
  return isRecord(value) ? { ok: true, value } : fail('the lockfile is not a JSON object')
}
