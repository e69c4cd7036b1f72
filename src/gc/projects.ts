import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { lockfilesIn, readLockfile } from '../lockfiles'
import { settledStamp, stampBeforeListing, unchangedLockfiles, type DirStamp } from '../lockfiles/dir-stamp'
import { resolveInstalledNames } from '../lockfiles/installed-names'
import { readPackageJson, type PackageJsonRead } from '../lockfiles/package-json'
import type { LockfileStamp, ProjectEntry } from '../store/registry'
import { copyEntry, listsName } from '../store/registry-names'
import { manifestMismatch } from './manifest-check'
import type { ProjectReport } from './report'

/** A project's status and, when known, the names it keeps alive. */
export interface ProjectState {
  report: ProjectReport
  /** Names that are live because of this project, each once: current (present) or last known (unknown). */
  readonly names: readonly string[]
  /** The registry entry `names` are read from, when they are its (see {@link stateLists}). */
  from?: ProjectEntry
  /** The registry entry to keep for the project; undefined when it is gone. */
  entry?: ProjectEntry
}

// Every name a run keeps, once. A reader's names are slices of the lockfile's text, and a slice
// keeps the whole text alive: kept as they come, 1,000 projects' names pinned 250 MB of
// lockfiles until the run ended. The first occurrence is copied out of its text; projects then
// share one string per name.
const interned = new Map<string, string>()

/** The run's one copy of `name` (see above). */
export function intern(name: string): string {
  let kept = interned.get(name)
  if (kept === undefined) {
    // Concatenating and slicing forces V8 to copy the characters into a string of their own.
    kept = (` ${name}`).slice(1)
    interned.set(kept, kept)
  }
  return kept
}

/**
 * The revision of the rules that turn lockfiles into names, stored as one more stamp: the rules
 * are part of the names cache's key, so an entry cached under older rules (docs/design.md, "What
 * real lockfiles contain") is read again once, even when its lockfiles did not change.
 */
export const NAMES_RULES: Readonly<LockfileStamp> = Object.freeze({ path: '#names-rules', size: 2, mtimeMs: 0 })

function stampsOf(files: string[]): LockfileStamp[] {
  const stamps = files.map((file) => {
    const stat = fs.statSync(file)
    return { path: file, size: stat.size, mtimeMs: stat.mtimeMs }
  })
  return files.length === 0 ? stamps : [...stamps, { ...NAMES_RULES }]
}

/** `a` came from the registry file: an entry that is not an object is no match, never a crash. */
function sameStamps(a: LockfileStamp[], b: LockfileStamp[]): boolean {
  return a.length === b.length && a.every((stamp: LockfileStamp | null, i) =>
    stamp?.path === b[i].path && stamp.size === b[i].size && stamp.mtimeMs === b[i].mtimeMs)
}

/**
 * Names from the `package.json` files of a project's own importers (workspace members), or
 * `{ error }` when one exists but cannot be read: its name would be lost, so the project is
 * unknown. A member directory whose `package.json` is gone is skipped (lockfiles may list
 * importers that were removed since). `readManifest` reads a package.json.
 */
export function importerNames(dir: string, importerDirs: Iterable<string>, readManifest = readPackageJson): string[] | { error: string } {
  const names: string[] = []
  for (const importer of importerDirs) {
    const read = readManifest(path.join(dir, importer, 'package.json'))
    if (!read.ok) {
      if (read.missing) continue
      return { error: read.reason }
    }
    if (typeof read.manifest.name === 'string') names.push(read.manifest.name)
  }
  return names
}

/** A project whose lockfiles must be read: what {@link probeProject} found out. */
export interface ReadJob {
  dir: string
  files: string[]
  stamps: LockfileStamp[]
  /** What to keep for the next run's probe (see `settledStamp`). */
  dirStamp?: DirStamp
}

/**
 * What reading a project's lockfiles gave: its names, or why they are unknown. `interned`: the
 * names are {@link intern}'s already (they came from the helper thread's table).
 */
export type ReadOutcome = { names: string[]; interned?: boolean } | { reason: string }

/**
 * A state whose names are `cached`'s, read only when asked for: a sweep asks about a few names
 * ({@link stateLists}), and decoding every project's names was a fifth of it at 1,000 projects.
 */
function cachedState(report: ProjectReport, cached: ProjectEntry, entry: ProjectEntry): ProjectState {
  const state: ProjectState = { report, entry, get names() { return cached.names } }
  // Not enumerable: a spread of the state with other names must not answer from `cached`.
  Object.defineProperty(state, 'from', { value: cached, enumerable: false })
  return state
}

/** Whether `state` lists `name`, without decoding its registry entry's names. */
export function stateLists(state: ProjectState, name: string): boolean {
  return state.from !== undefined ? listsName(state.from, name) : state.names.includes(name)
}

function unknownState(dir: string, cached: ProjectEntry | undefined, now: number, reason: string, lockfiles: string[] = []): ProjectState {
  const report: ProjectReport = { dir, status: 'unknown', lockfiles, reason }
  if (cached !== undefined) return cachedState(report, cached, cached)
  return { report, names: [], entry: { names: [], lockfiles: [], checkedAt: new Date(now).toISOString(), source: 'access' } }
}

/**
 * The first half of {@link checkProject}: the project's state from a `stat` and its lockfiles'
 * stamps alone (gone, unknown, or present with the `cached` names when no stamp changed), or the
 * job of reading its lockfiles.
 */
export function probeProject(dir: string, cached: ProjectEntry | undefined, now: number, settledBefore = -Infinity): { state: ProjectState } | { job: ReadJob } {
  let stat: fs.Stats
  try {
    stat = fs.statSync(dir)
    if (!stat.isDirectory()) return { state: { report: { dir, status: 'gone', lockfiles: [], reason: 'not a directory any more' }, names: [] } }
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return { state: { report: { dir, status: 'gone', lockfiles: [], reason: 'directory no longer exists' }, names: [] } }
    if (isErrno(err)) return { state: unknownState(dir, cached, now, `cannot read ${dir} (${err.code})`) }
    throw err
  }
  let found: CurrentLockfiles
  try {
    found = currentLockfiles(dir, stat, cached, settledBefore)
  } catch (err) {
    if (isErrno(err)) return { state: unknownState(dir, cached, now, `cannot read the lockfiles of ${dir} (${err.code})`) }
    throw err
  }
  const { files, stamps, dirStamp } = found
  if (files.length === 0) return { state: unknownState(dir, cached, now, 'no lockfile found') }
  if (cached !== undefined && cached.lockfiles.length > 0 && sameStamps(cached.lockfiles, stamps)) {
    const entry = cached.dirStamp === dirStamp ? cached : copyEntry(cached, { dirStamp })
    return { state: cachedState({ dir, status: 'present', lockfiles: files }, cached, entry) }
  }
  return { job: { dir, files, stamps, dirStamp } }
}

interface CurrentLockfiles { files: string[]; stamps: LockfileStamp[]; dirStamp: DirStamp | undefined }

/**
 * The lockfiles of `dir` (whose `stat` is given) and their stamps: from the `cached` entry's list
 * while its directory stamp holds (see dir-stamp.ts), else from a listing, with the stamp to keep
 * for the next run. Throws the system error when a listing or `stat` fails.
 */
function currentLockfiles(dir: string, stat: fs.Stats, cached: ProjectEntry | undefined, settledBefore: number): CurrentLockfiles {
  if (cached !== undefined && cached.lockfiles.length > 0) {
    // Entries come from a file: a stamp that is not an object proves nothing (unchangedLockfiles wants strings).
    const listed = cached.lockfiles.map((stamp: unknown) => (stamp as Partial<LockfileStamp> | null)?.path).filter((file) => file !== NAMES_RULES.path)
    const files = unchangedLockfiles(dir, stat, cached.dirStamp, listed)
    if (files !== null) {
      try {
        return { files, stamps: stampsOf(files), dirStamp: cached.dirStamp }
      } catch (err) {
        // A lockfile gone with the directory's times unchanged: list it after all.
        if (!isErrno(err)) throw err
      }
    }
  }
  const before = stampBeforeListing(dir, stat)
  const files = lockfilesIn(dir)
  return { files, stamps: stampsOf(files), dirStamp: settledStamp(before, settledBefore) }
}

/**
 * The second half of {@link checkProject}: reads a job's lockfiles and its importers'
 * `package.json` files. Touches no state but the file system, so it may run on another thread
 * (see read-worker.ts). Names come back as they were read (slices of the lockfile text).
 */
export function readProject({ dir, files }: ReadJob): ReadOutcome {
  let names: Set<string> | null = null
  const importers = new Set<string>()
  const reads = []
  for (const file of files) {
    const read = readLockfile(file)
    if (!read.ok) return { reason: read.reason }
    // The first lockfile's own set (fresh, ours) collects the rest: most projects have one.
    if (names === null) names = read.names
    else for (const name of read.names) names.add(name)
    for (const importer of read.importerDirs) importers.add(importer)
    reads.push(read)
  }
  if (names === null) names = new Set()
  // Each importer's package.json is read once, for its name and for the consistency check.
  const manifests = new Map<string, PackageJsonRead>()
  const readManifest = (file: string): PackageJsonRead => {
    let read = manifests.get(file)
    if (read === undefined) manifests.set(file, read = readPackageJson(file))
    return read
  }
  const own = importerNames(dir, importers, readManifest)
  if (!Array.isArray(own)) return { reason: own.error }
  for (const name of own) names.add(name)
  const real = resolveInstalledNames(dir, [...importers], reads.flatMap((read) => read.ok ? read.unresolved ?? [] : []))
  if (!Array.isArray(real)) return { reason: real.error }
  for (const name of real) names.add(name)
  const mismatch = manifestMismatch(dir, reads, names, readManifest)
  if (mismatch !== null) return { reason: mismatch }
  return { names: [...names] }
}

/** The state a read gives, its names interned (see `intern`). */
export function stateAfterRead(job: ReadJob, outcome: ReadOutcome, cached: ProjectEntry | undefined, now: number): ProjectState {
  if ('reason' in outcome) return unknownState(job.dir, cached, now, outcome.reason, job.files)
  const list = outcome.interned === true ? outcome.names : outcome.names.map(intern)
  return {
    report: { dir: job.dir, status: 'present', lockfiles: job.files },
    names: list,
    entry: { names: list, lockfiles: job.stamps, checkedAt: new Date(now).toISOString(), source: cached?.source ?? 'access', dirStamp: job.dirStamp },
  }
}

/**
 * Decides whether `dir` is gone, unknown or present (docs/design.md, "The gc rules"), reading its lockfiles only when
 * their size or mtime differ from the `cached` entry. Fails closed: anything unreadable makes
 * the project unknown and keeps its last known names live.
 */
export function checkProject(dir: string, cached: ProjectEntry | undefined, now: number): ProjectState {
  const probe = probeProject(dir, cached, now)
  return 'state' in probe ? probe.state : stateAfterRead(probe.job, readProject(probe.job), cached, now)
}
