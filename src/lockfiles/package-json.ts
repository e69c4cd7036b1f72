import { readRegularFile } from './file'
import { isRecord } from './types'

/**
 * The one `package.json` reader for everything that reads manifests (the gc's importer names and
 * consistency check, yarn 1 workspaces, the owner lookup, `scratch init`). Every package manager
 * accepts a manifest that starts with a UTF-8 byte order mark, so this does too.
 */
export type PackageJsonRead =
  | { ok: true; manifest: Record<string, unknown> }
  /** `missing`: there is no such file (`ENOENT`/`ENOTDIR`); anything else is a manifest that exists but cannot be used. */
  | { ok: false; missing: boolean; code: string | null; reason: string }

/** Parses manifest text: a leading BOM is dropped; throws `SyntaxError` for invalid JSON. */
export function parsePackageJson(text: string): unknown {
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
}

/**
 * Reads and parses the `package.json` at `file` (a regular file, see `readRegularFile`). Never
 * throws for bad input: a missing file, a system error, invalid JSON or a value that is not an
 * object each give `ok: false` with a reason naming the file.
 */
export function readPackageJson(file: string): PackageJsonRead {
  const read = readRegularFile(file)
  if (!read.ok) {
    const missing = read.code === 'ENOENT' || read.code === 'ENOTDIR'
    return { ok: false, missing, code: read.code, reason: `${file}: ${read.reason}` }
  }
  let manifest: unknown
  try {
    manifest = parsePackageJson(read.text)
  } catch {
    return { ok: false, missing: false, code: null, reason: `${file}: invalid JSON` }
  }
  if (!isRecord(manifest)) return { ok: false, missing: false, code: null, reason: `${file}: not a JSON object` }
  return { ok: true, manifest }
}
