import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { LOCKFILE_FILES } from './kinds'

/**
 * A directory's identity and change times: any entry created, removed or renamed in it changes
 * both times; another directory in its place (a rename, a retargeted link, a twin made in the
 * same clock tick or with fixed times) has another device or inode.
 */
export interface DirTimes { dev: number; ino: number; mtimeMs: number; ctimeMs: number }

/**
 * What proves a project's set of lockfiles unchanged without listing its directory (see
 * docs/design.md, "The warm gc"): the project directory's {@link DirTimes} and those of its
 * `node_modules` (where npm's hidden lockfile lives), or null for no `node_modules` entry.
 */
export interface DirStamp extends DirTimes { nodeModules: DirTimes | null }

/**
 * How long a directory must have been left alone before its times are trusted: a file system
 * keeps times at its own granularity (2 s on FAT), and a change within the same tick as the
 * last one would leave the times as they were.
 */
const SETTLED_MS = 2_000

function timesOf(stat: fs.Stats): DirTimes {
  return { dev: stat.dev, ino: stat.ino, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs }
}

function sameTimes(a: DirTimes, b: DirTimes): boolean {
  return a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev
}

function isTimes(value: unknown): value is DirTimes {
  const times = value as DirTimes | null
  return typeof times === 'object' && times !== null && Number.isFinite(times.mtimeMs) && Number.isFinite(times.ctimeMs) &&
    Number.isFinite(times.ino) && Number.isFinite(times.dev) && times.ino !== 0
}

/** The times of `dir/node_modules`, null when there is no such entry, undefined when they prove nothing (a dangling link, an error). */
function nodeModulesTimes(dir: string): DirTimes | null | undefined {
  const file = path.join(dir, 'node_modules')
  try {
    const stat = fs.statSync(file, { throwIfNoEntry: false })
    if (stat !== undefined) return timesOf(stat)
    // No entry at all: nothing under it. An entry that cannot be followed: its target may appear unseen.
    return fs.lstatSync(file, { throwIfNoEntry: false }) === undefined ? null : undefined
  } catch (err) {
    if (!isErrno(err)) throw err
    return undefined
  }
}

/**
 * The stamp of `dir` (whose `stat` is given) as it is before its lockfiles are listed: taken
 * first, so that whatever changes during the listing shows as other times next run. Undefined
 * when it proves nothing (see {@link nodeModulesTimes}).
 */
export function stampBeforeListing(dir: string, stat: fs.Stats): DirStamp | undefined {
  const nodeModules = nodeModulesTimes(dir)
  return nodeModules === undefined ? undefined : { ...timesOf(stat), nodeModules }
}

/**
 * `stamp` (from {@link stampBeforeListing}) if it may be kept for the next run: the directory and
 * its `node_modules` were left alone for 2 s before `settledBefore`, the file system's time at
 * the start of the run (see {@link SETTLED_MS}); undefined otherwise.
 */
export function settledStamp(stamp: DirStamp | undefined, settledBefore: number): DirStamp | undefined {
  const limit = settledBefore - SETTLED_MS
  const settled = (times: DirTimes): boolean => times.mtimeMs < limit && times.ctimeMs < limit
  return stamp !== undefined && settled(stamp) && (stamp.nodeModules === null || settled(stamp.nodeModules)) ? stamp : undefined
}

/**
 * The lockfiles of `dir` (whose `stat` is given) when `stamp` (from the registry, unchecked)
 * proves that the set listed then, `files`, is the set there now: what `lockfilesIn` would
 * return, at the cost of one `stat` when there is a `node_modules` and none otherwise. Null when
 * it proves nothing: no stamp or a malformed one, another directory or other times, or a file
 * that is not one of `dir`'s lockfile paths in detection order (the registry is a file: its
 * paths are never trusted).
 */
export function unchangedLockfiles(dir: string, stat: fs.Stats, stamp: unknown, files: readonly unknown[]): string[] | null {
  if (!isTimes(stamp) || !sameTimes(stamp, timesOf(stat))) return null
  const nodeModules = (stamp as DirStamp).nodeModules
  if (nodeModules !== null) {
    if (!isTimes(nodeModules)) return null
    const now = nodeModulesTimes(dir)
    if (now === null || now === undefined || !sameTimes(nodeModules, now)) return null
  }
  const found: string[] = []
  let next = 0
  for (const file of files) {
    if (typeof file !== 'string') return null
    while (next < LOCKFILE_FILES.length && path.join(dir, LOCKFILE_FILES[next]) !== file) next++
    if (next === LOCKFILE_FILES.length) return null
    found.push(file)
    next++
  }
  return found
}
