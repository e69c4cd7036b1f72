import fs from 'node:fs'
import { isErrno } from '../errors'
import { newerReason, readJsonFile, sealedJson, writeStateFile, type JsonRead } from './atomic'
import type { ProjectEntry, Registry } from './registry'

/**
 * The registry's delta (docs/design.md, "The registry's delta"): what the install-time sweeps
 * changed since `registry.json` was last written whole, as whole entries (names spelled out) or
 * `null` for a project left out, tied to that file by the random `id` it was written with. A
 * delta whose `base` is not the registry file's id is stale (the file was rewritten since, by a
 * full save that folded it, or by a release that knows no delta) and is ignored, never applied.
 *
 * A delta only ever takes away: it drops projects and names, and changes stamps and sources. So
 * the registry file alone, as a release that knows no delta reads it (or this one, when the
 * delta is damaged), names every project and every name the two together do, and keeps at
 * least every space they keep. A new project or an added name is written with the file whole.
 */
export interface Delta { [dir: string]: ProjectEntry | null }

interface StoredDelta { version: 1; base: string; projects: Record<string, unknown> }

/** The delta versions this code reads and writes. */
const DELTA_VERSIONS = [1]

/** The delta file beside the registry file `registryFile`. */
export function deltaPath(registryFile: string): string {
  return registryFile.replace(/\.json$/, '.delta.json')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

// Always written sealed (see sealedJson): one without its checksum was damaged.
function isStoredDelta(value: unknown): value is StoredDelta {
  return isObject(value) && value.version === 1 && typeof value.checksum === 'string' && typeof value.base === 'string' && isObject(value.projects)
}

/**
 * Sets `projects[dir]` as an own property whatever `dir` is: a `__proto__` key read from a file
 * would otherwise replace the object's prototype instead of becoming an entry, and escape the
 * checks that drop entries whose dir is not a project's (dropUnsound in src/gc/state.ts).
 */
export function setEntry<T>(projects: Record<string, T>, dir: string, entry: T): void {
  // defineProperty for every entry cost ~3 ms at 1,000 projects: only the one key that needs it.
  if (dir === '__proto__') Object.defineProperty(projects, dir, { value: entry, writable: true, enumerable: true, configurable: true })
  else projects[dir] = entry
}

/** An entry as the delta stores it: names spelled out, the rest as in the registry file (checked by its users). */
function isEntry(value: unknown): value is ProjectEntry {
  return isObject(value) && Array.isArray(value.names) && value.names.every((name) => typeof name === 'string') && Array.isArray(value.lockfiles)
}

/**
 * The delta beside `registryFile` that applies to the registry file with id `id` (of
 * `fileBytes` bytes): `missing` when there is none, or it is stale (another `base`, whatever else
 * it holds), or the registry file has no id; `newer` for another version's delta on this file;
 * `damaged` for one that does not read as a delta (not sealed, not JSON, a link, more bytes than
 * the file it changes can need). The registry file alone is a safe reading of a damaged delta
 * (see {@link Delta}); the caller says so and writes the file whole.
 */
export function readDelta(registryFile: string, id: string | undefined, fileBytes: number): JsonRead<Delta> {
  const file = deltaPath(registryFile)
  // A delta is written only while it is at most a quarter of the file's characters (up to three
  // bytes each): anything much larger was not written by a save.
  const read = readJsonFile(file, isObject, 'any', fileBytes + 64 * 1024)
  if (read.state !== 'ok') return read
  if (id === undefined || read.value.base !== id) return { state: 'missing' }
  // Without a version it is damaged (below), as every state file that needs one.
  const { version } = read.value
  if (version !== undefined && !DELTA_VERSIONS.includes(version as number)) return { state: 'newer', reason: newerReason(file, version, DELTA_VERSIONS) }
  if (!isStoredDelta(read.value)) return { state: 'damaged', reason: `${file}: unexpected content` }
  const delta: Delta = {}
  for (const [dir, entry] of Object.entries(read.value.projects)) {
    if (entry !== null && !isEntry(entry)) return { state: 'damaged', reason: `${file}: unexpected content` }
    setEntry(delta, dir, entry)
  }
  return { state: 'ok', value: delta }
}

/**
 * Whether the entry `is` tells the next run anything `was` does not: other names or source, or
 * other lockfile stamps — except where `is` has none (names given by an install hook, to be read
 * again from disk), since the stamps `was` keeps belong to the names it keeps. `checkedAt` is left
 * out: no rule reads it (docs/design.md, "The install-time sweep").
 */
export function entryChanged(was: ProjectEntry, is: ProjectEntry): boolean {
  if (was === is) return false
  if (was.source !== is.source) return true
  if (was.names.length !== is.names.length || was.names.some((name, i) => name !== is.names[i])) return true
  // A hook's entry (no lockfiles, no directory stamp) does not replace a gc's stamped one.
  return is.lockfiles.length > 0 && (JSON.stringify(was.lockfiles) !== JSON.stringify(is.lockfiles) || JSON.stringify(was.dirStamp) !== JSON.stringify(is.dirStamp))
}

/**
 * What `next` changes against `base` (the registry file's own entries): changed entries, and
 * `null` for the dirs it leaves out; `null` when `next` adds a project or a name to one, which
 * only a whole write may carry (see {@link Delta}).
 */
export function deltaOf(base: Readonly<Record<string, ProjectEntry>>, next: Registry): Delta | null {
  const delta: Delta = {}
  for (const [dir, entry] of Object.entries(next.projects)) {
    const was = Object.prototype.hasOwnProperty.call(base, dir) ? base[dir] : undefined
    if (was === undefined) return null
    if (!entryChanged(was, entry)) continue
    if (entry.names.length > was.names.length) return null
    const had = new Set(was.names)
    if (!entry.names.every((name) => had.has(name))) return null
    delta[dir] = entry
  }
  for (const dir of Object.keys(base)) if (!Object.prototype.hasOwnProperty.call(next.projects, dir)) delta[dir] = null
  return delta
}

/** The delta file's text for `delta` on the registry file with id `base`. */
export function deltaText(base: string, delta: Delta): string {
  const stored: StoredDelta = { version: 1, base, projects: delta }
  return sealedJson(stored)
}

/** Writes `text` (from {@link deltaText}) as the delta file, atomically. */
export function writeDelta(registryFile: string, text: string): void {
  writeStateFile(deltaPath(registryFile), text)
}

/**
 * Removes the delta file after the registry file was written whole. Best effort: a delta left
 * behind names the previous file's id, so it is stale and never applied.
 */
export function dropDelta(registryFile: string): void {
  try {
    fs.unlinkSync(deltaPath(registryFile))
  } catch (err) {
    if (!isErrno(err)) throw err
  }
}
