import path from 'node:path'
import type { DirStamp } from '../lockfiles/dir-stamp'
import { bookkeepingDir } from '../runtime/layout'
import { readJsonFile, sealedJson, writeStateFile, type JsonRead } from './atomic'
import { deltaOf, deltaText, dropDelta, entryChanged, readDelta, setEntry, writeDelta } from './registry-delta'
import { fieldsOf, gapsOf, setStoredNames, storedOf, tableOf, type Table } from './registry-names'

export type { NamesTable } from './registry-names'

/** A lockfile as last read: its size and mtime key the names cache. */
export interface LockfileStamp { path: string; size: number; mtimeMs: number }

/** What the registry remembers of a project between runs. */
export interface ProjectEntry {
  /** Package names the project used when last known (lockfiles ∪ own importer names). */
  names: string[]
  /** The lockfiles those names came from; empty when the names came from an install hook. */
  lockfiles: LockfileStamp[]
  /** When the names were last established (ISO). */
  checkedAt: string
  /** How the project was last registered: an access record, a hook, or `scratch register`. */
  source: 'access' | 'hook' | 'register'
  /**
   * The project directory's times when `lockfiles` were listed (see `DirStamp`): while they hold,
   * the next run need not list the directory again. Read from the file unchecked: its user checks it.
   */
  dirStamp?: DirStamp
}

export interface Registry { version: 1; projects: Record<string, ProjectEntry> }

/**
 * The file: every name once, in one sorted table, and per project the ids of its names in
 * increasing order, written as gaps (each id minus the previous one, starting from -1), so every
 * gap is a small positive integer. Projects share most of their names: at 1,000 projects of
 * 1,000 packages this is 2.4 MB instead of 16 MB of repeated strings, and parses 5× faster.
 * The table is sorted when written anew; a save that can reuse the last one keeps it (new names
 * force a new table, and so does a quarter of it going unused). Format 1 (names spelled out per
 * project) is still read.
 */
interface StoredRegistry {
  version: 2
  /** Random, new at every write: what a delta names as its base (see registry-delta.ts). */
  id: string
  names: string[]
  projects: Record<string, Omit<ProjectEntry, 'names'> & { names: number[] }>
}

/** The file versions this code reads: 1 (names per project) and 2 (the names table), which it writes. */
const REGISTRY_VERSIONS = [1, 2]

function registryPath(root: string): string {
  return path.join(bookkeepingDir(root), 'registry.json')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

// Format 2 is always written sealed (see sealedJson); one without its checksum was damaged.
function isStored(value: unknown): value is { version: 1 | 2; id?: unknown; names?: unknown; projects: Record<string, unknown> } {
  return isObject(value) && (value.version === 1 || (value.version === 2 && typeof value.checksum === 'string')) && isObject(value.projects)
}

// Saving a registry whose entries mostly came unchanged from the file (the install hook changes
// one project) encodes only the changed ones: the others keep their stored gaps (storedOf).
// The last table is kept per registry file: a process can load and save several stores (tests,
// `withScratchDirectory`), and one store's table must never be written into another's file.
const lastTables = new Map<string, Table>()

/**
 * What a loaded registry was read from: the file's id, size and own entries (before its delta),
 * for the save's delta; `delta`: whether a delta was applied on top.
 */
interface Base { file: string; id: string; bytes: number; projects: Readonly<Record<string, ProjectEntry>>; delta: boolean }
const bases = new WeakMap<Registry, Base>()

/** A delta larger than this share of the registry file is folded into it (the file is written whole). */
const DELTA_SHARE = 1 / 4

/** The registry a parsed file holds, or null when its content is not a registry of either format. */
function decode(file: string, value: { version: 1 | 2; names?: unknown; projects: Record<string, unknown> }): Registry | null {
  let table: string[] | undefined
  if (value.version === 2) {
    if (!Array.isArray(value.names) || !value.names.every((name) => typeof name === 'string')) return null
    table = value.names as string[]
  }
  const projects: Record<string, ProjectEntry> = {}
  const loaded = table === undefined ? undefined : tableOf(table)
  for (const [dir, entry] of Object.entries(value.projects)) {
    if (!isObject(entry) || !Array.isArray(entry.names) || !Array.isArray(entry.lockfiles)) return null
    if (loaded === undefined) {
      if (!entry.names.every((name) => typeof name === 'string')) return null
      setEntry(projects, dir, { ...(entry as unknown as ProjectEntry) })
      continue
    }
    // Checked now, decoded when first read (registry-names.ts): a bad gap makes the file damaged.
    const gaps = entry.names as unknown[]
    for (let i = 0, id = -1; i < gaps.length; i++) {
      const gap = gaps[i]
      if (typeof gap !== 'number' || !Number.isInteger(gap) || gap < 1 || (id += gap) >= loaded.size) return null
    }
    const { names: _gaps, ...rest } = entry
    setEntry(projects, dir, setStoredNames(rest as Omit<ProjectEntry, 'names'>, { table: loaded, gaps: gaps as number[] }))
  }
  if (loaded !== undefined) lastTables.set(file, loaded)
  return { version: 1, projects }
}

/**
 * The table to write: the last one loaded or written when it still holds every name and at most
 * a quarter of it is unused (so unchanged entries keep their gaps), else a new sorted one.
 */
function chooseTable(file: string, registry: Registry): Table {
  const last = lastTables.get(file)
  if (last !== undefined) {
    const used = new Uint8Array(last.names.length)
    // Counted as they are marked: a reduce over the array ran as cold code, ~4 ms in a one-shot hook.
    let count = 0
    let fits = true
    for (const entry of Object.values(registry.projects)) {
      const stored = storedOf(entry)
      if (stored?.table === last) {
        for (let i = 0, id = -1; i < stored.gaps.length; i++) {
          id += stored.gaps[i]
          count += 1 - used[id]
          used[id] = 1
        }
        continue
      }
      for (const name of entry.names) {
        const id = last.ids.get(name)
        if (id === undefined) { fits = false; break }
        count += 1 - used[id]
        used[id] = 1
      }
      if (!fits) break
    }
    if (fits && count * 4 >= last.names.length * 3) return last
  }
  const all = new Set<string>()
  for (const entry of Object.values(registry.projects)) for (const name of entry.names) all.add(name)
  return tableOf([...all].sort())
}

function encode(file: string, registry: Registry): StoredRegistry {
  const table = chooseTable(file, registry)
  const projects: StoredRegistry['projects'] = {}
  for (const [dir, entry] of Object.entries(registry.projects)) {
    const stored = storedOf(entry)
    const copy = fieldsOf(entry)
    copy.names = stored?.table === table ? stored.gaps : gapsOf(entry.names, table)
    projects[dir] = copy as unknown as StoredRegistry['projects'][string]
  }
  lastTables.set(file, table)
  // 48 random bits: ids of two writes of one file never meet in practice, and one that did would
  // apply a delta that was folded already, whose entries are still caches checked against the disk.
  const id = Math.floor(Math.random() * 2 ** 48).toString(36)
  return { version: 2, id, names: table.names, projects }
}

/**
 * What loading the registry found; `ignored` says why a delta beside an intact file was not
 * applied (damaged): the file alone then holds at least every project and name (see
 * registry-delta.ts), and the run that warns about it writes the file whole.
 */
export type RegistryRead = JsonRead<Registry> & { ignored?: string }

/**
 * The registry on disk: ok, missing (a new store), damaged (the gc rebuilds it and deletes
 * nothing) or newer (a version this code does not know: never rewritten, the gc deletes nothing).
 */
export function loadRegistry(root: string): RegistryRead {
  const file = registryPath(root)
  const seen = { bytes: 0 }
  const read = readJsonFile(file, isStored, REGISTRY_VERSIONS, undefined, seen)
  if (read.state !== 'ok') return read
  const registry = decode(file, read.value)
  if (registry === null) return { state: 'damaged', reason: `${file}: unexpected content` }
  const id = typeof read.value.id === 'string' ? read.value.id : undefined
  const delta = readDelta(file, id, seen.bytes)
  if (delta.state === 'newer') return delta
  if (delta.state === 'damaged') return { state: 'ok', value: registry, ignored: delta.reason }
  const own = { ...registry.projects }
  if (delta.state === 'ok') {
    for (const [dir, entry] of Object.entries(delta.value)) {
      if (entry === null) delete registry.projects[dir]
      else setEntry(registry.projects, dir, entry)
    }
  }
  if (id !== undefined) bases.set(registry, { file, id, bytes: seen.bytes, projects: own, delta: delta.state === 'ok' })
  return { state: 'ok', value: registry }
}

export function emptyRegistry(): Registry {
  return { version: 1, projects: {} }
}

/**
 * Writes the registry atomically. Given the registry `loaded` this run (under the store lock),
 * writes only what changed against the registry file as loaded, as its delta, while the delta
 * stays within a quarter of the file and only takes away (no project or name added); else (and always without `loaded`) the file whole (format
 * 2), which folds the delta (docs/design.md, "The registry's delta").
 */
export function saveRegistry(root: string, registry: Registry, loaded?: Registry): void {
  const file = registryPath(root)
  const base = loaded === undefined ? undefined : bases.get(loaded)
  if (base !== undefined && base.file === file) {
    const delta = deltaOf(base.projects, registry)
    const text = delta === null ? null : deltaText(base.id, delta)
    if (text !== null && text.length <= base.bytes * DELTA_SHARE) {
      writeDelta(file, text)
      return
    }
  }
  writeStateFile(file, sealedJson(encode(file, registry)))
  dropDelta(file)
}

/**
 * Whether `loaded` was read from a registry file of the current format with no delta applied:
 * a whole write of the same entries would then change nothing but its id (see the full gc's
 * save, docs/design.md, "The warm gc"). False for format 1, a missing or rebuilt registry.
 */
export function isWholeFile(loaded: Registry): boolean {
  const base = bases.get(loaded)
  return base !== undefined && !base.delta
}

/**
 * Whether saving `next` would tell the next run anything `loaded` (as read this run) does not:
 * another set of projects, or a project with other names or source, or other lockfile stamps —
 * except where `next` has none (names given by an install hook, to be read again from disk),
 * since the stamps `loaded` keeps belong to the names it keeps. Only `checkedAt` is left out.
 * The install-time sweep then skips rewriting the file (docs/design.md, "The install-time sweep").
 */
export function registryChanged(loaded: Registry, next: Registry): boolean {
  const dirs = Object.keys(next.projects)
  if (dirs.length !== Object.keys(loaded.projects).length) return true
  for (const dir of dirs) {
    const was = loaded.projects[dir]
    if (was === undefined || !Object.prototype.hasOwnProperty.call(loaded.projects, dir) || entryChanged(was, next.projects[dir])) return true
  }
  return false
}
