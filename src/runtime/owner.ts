import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ScratchError, isErrno } from '../errors'
import { parsePackageJson } from '../lockfiles/package-json'
import { assertOwnerName } from './names'

/**
 * Who a space belongs to, as a caller may say it: `import.meta` (ESM), a `file:` URL,
 * a path of a file or directory inside the package (`__dirname`, `__filename`), or an explicit name.
 */
export type Owner = ImportMeta | URL | string | { name: string; version?: string }

/** A resolved owner. `dir` is the package directory when the owner was given by location. */
export interface OwnerInfo {
  name: string
  version?: string
  dir?: string
}

interface FoundPackage { name: string; version?: string; dir: string }

// Both caches only grow with the number of distinct package locations a process uses.
const byInput = new Map<string, OwnerInfo>()
const byDir = new Map<string, FoundPackage | null>()

/**
 * Resolves `owner` to a package name (and version). A location resolves to the nearest
 * `package.json` **with a `name`** at or above it; name-less ones (such as a `dist/package.json`
 * holding only `"type"`) are skipped. Results are cached per input and per directory.
 * Throws `ERR_SCRATCH_INVALID_OWNER` for a malformed owner or name and
 * `ERR_SCRATCH_OWNER_NOT_FOUND` when no named package.json lies above the location.
 */
export function resolveOwner(owner: Owner): OwnerInfo {
  if (typeof owner === 'string') return fromLocation(owner)
  if (owner instanceof URL) return fromLocation(owner.href)
  if (owner !== null && typeof owner === 'object') {
    const { url } = owner as { url?: unknown }
    if (typeof url === 'string') return fromLocation(url)
    const { name, version } = owner as { name?: unknown; version?: unknown }
    if (name !== undefined) {
      assertOwnerName(name)
      return typeof version === 'string' ? { name, version } : { name }
    }
  }
  throw new ScratchError('ERR_SCRATCH_INVALID_OWNER', `Invalid owner ${describe(owner)}`, {
    hint: 'Pass import.meta, a file: URL, __dirname/__filename, or { name: "<package name>" }.',
  })
}

// A URL scheme of two or more letters (one letter is a Windows drive, `C:\`).
const NON_FILE_URL = /^(?!file:)[A-Za-z][A-Za-z0-9+.-]+:/

function fromLocation(location: string): OwnerInfo {
  const cached = byInput.get(location)
  if (cached !== undefined) return cached
  let start: string
  if (location.startsWith('file:')) {
    try {
      start = fileURLToPath(location)
    } catch (err) {
      throw new ScratchError('ERR_SCRATCH_INVALID_OWNER', `Invalid owner URL ${JSON.stringify(location)}`, {
        hint: 'Pass import.meta or a file: URL of a module inside your package.', cause: err,
      })
    }
  } else if (NON_FILE_URL.test(location)) {
    // import.meta of a module loaded from data:, http: or node: has no package on disk; read as
    // a relative path it would silently resolve to whatever package the cwd is in.
    throw new ScratchError('ERR_SCRATCH_INVALID_OWNER', `Owner URL ${JSON.stringify(location)} is not a file: URL`, {
      hint: 'Pass import.meta of a module loaded from a file, __dirname, or { name: "<package name>" }.',
    })
  } else if (location === '' || location.includes('\0')) {
    throw new ScratchError('ERR_SCRATCH_INVALID_OWNER', `Invalid owner path ${JSON.stringify(location)}`, {
      hint: 'Pass __dirname, __filename or import.meta.',
    })
  } else {
    start = path.resolve(location)
  }
  const found = findNamedPackage(start)
  if (found === null) {
    throw new ScratchError('ERR_SCRATCH_OWNER_NOT_FOUND', `No package.json with a "name" at or above ${start}`, {
      hint: 'Call getScratch from inside a package that has a package.json with a name, or pass { name }.',
    })
  }
  const info: OwnerInfo = found.version === undefined ? { name: found.name, dir: found.dir } : { ...found }
  byInput.set(location, info)
  return info
}

function findNamedPackage(start: string): FoundPackage | null {
  const visited: string[] = []
  let dir = start
  let result: FoundPackage | null = null
  for (;;) {
    const known = byDir.get(dir)
    if (known !== undefined) { result = known; break }
    visited.push(dir)
    const pkg = readNamedPackage(dir)
    if (pkg !== null) { result = pkg; break }
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  for (const d of visited) byDir.set(d, result)
  return result
}

function readNamedPackage(dir: string): FoundPackage | null {
  const file = path.join(dir, 'package.json')
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    // A file path as the start, a missing manifest or an unreadable directory: keep walking up.
    if (isErrno(err, 'ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EISDIR')) return null
    throw err
  }
  let manifest: { name?: unknown; version?: unknown }
  try {
    manifest = parsePackageJson(text) as typeof manifest
  } catch {
    return null
  }
  if (manifest === null || typeof manifest !== 'object' || manifest.name === undefined) return null
  assertOwnerName(manifest.name, file)
  return typeof manifest.version === 'string'
    ? { name: manifest.name, version: manifest.version, dir }
    : { name: manifest.name, dir }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'object') return `object with keys [${Object.keys(value as object).join(', ')}]`
  return `${typeof value} ${String(value)}`
}
