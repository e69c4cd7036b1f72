import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { isProjectDir } from '../runtime/access-log'
import { bookkeepingDir, parseSpaceId, trashDir } from '../runtime/layout'
import { ownerDirs } from '../runtime/scan'
import { readHistory, type History } from '../store/history'
import { loadOrphanMarks } from '../store/orphans'
import { emptyRegistry, loadRegistry, type Registry } from '../store/registry'

/** Everything a run reads from the store before judging. */
export interface StoreState {
  history: History
  registry: Registry
  marks: Record<string, number>
  /** Why this run must delete nothing (a state file had to be rebuilt), or undefined. */
  holdReason?: string
  warnings: string[]
}

/**
 * Loads the access history, registry and orphan marks. Damaged log lines are skipped; they are
 * reported unless `reportDamage` is null or they sit in a file already reported by an earlier run. A damaged registry is rebuilt from the
 * access history, and damaged marks start empty; either way the run is told to delete nothing,
 * because the clocks and names it would rely on are gone.
 */
export function loadState(root: string, reportDamage: { except: string[] } | null): StoreState {
  // Record times past the real clock count as now (the policy clock of a run may be set ahead).
  const history = readHistory(root, Date.now())
  const warnings: string[] = []
  const holds: string[] = []
  let damaged = 0
  for (const [file, count] of history.damagedLines) if (reportDamage !== null && !reportDamage.except.includes(file)) damaged += count
  if (damaged > 0) warnings.push(`skipped ${damaged} damaged line(s) in the access log`)
  const registryRead = loadRegistry(root)
  let registry: Registry = emptyRegistry()
  if (registryRead.state === 'ok') registry = registryRead.value
  if (registryRead.state === 'damaged') holds.push(`the project registry was damaged (${registryRead.reason}) and was rebuilt from the access log`)
  const marksRead = loadOrphanMarks(root)
  let marks: Record<string, number> = {}
  if (marksRead.state === 'ok') marks = marksRead.value.marks
  if (marksRead.state === 'damaged') holds.push(`the orphan marks were damaged (${marksRead.reason}) and were reset`)
  const strays = dropUnsound(registry, marks)
  if (strays > 0) warnings.push(`skipped ${strays} damaged entr${strays === 1 ? 'y' : 'ies'} (a project that is not an absolute path, or a space that is not <owner>/<key>) in the registry or orphan marks`)
  for (const hold of holds) warnings.push(`${hold}; this run deletes nothing`)
  return { history, registry, marks, holdReason: holds.length > 0 ? holds.join('; ') : undefined, warnings }
}

/**
 * Drops registry projects whose directory is not an absolute normalised path and orphan marks
 * whose id is not exactly `<owner>/<key>`: state files can be edited by anyone, and nothing may be
 * read or judged from a path outside what this package writes. Returns how many were dropped.
 */
function dropUnsound(registry: Registry, marks: Record<string, number>): number {
  let dropped = 0
  for (const dir of Object.keys(registry.projects)) {
    if (!isProjectDir(dir)) { delete registry.projects[dir]; dropped++ }
  }
  for (const id of Object.keys(marks)) {
    if (parseSpaceId(id) === null || !Number.isFinite(marks[id])) { delete marks[id]; dropped++ }
  }
  return dropped
}

/** Removes what crashed runs left in the trash. Returns the entries that could not be removed. */
export function emptyTrash(root: string, budgetMs = Infinity): string[] {
  const dir = trashDir(root)
  const started = Date.now()
  const left: string[] = []
  let names: string[]
  try {
    // A trash that is not a real directory (a link planted in its place) is never entered: what
    // it points at is not the store's. The link goes; the next deletion makes a real trash.
    if (!fs.lstatSync(dir).isDirectory()) {
      fs.rmSync(dir, { force: true })
      return []
    }
    names = fs.readdirSync(dir)
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return []
    throw err
  }
  for (const name of names) {
    if (Date.now() - started > budgetMs) { left.push(name); continue }
    try {
      fs.rmSync(path.join(dir, name), { recursive: true, force: true, maxRetries: 2 })
    } catch (err) {
      if (!isErrno(err)) throw err
      left.push(name)
    }
  }
  return left
}

const STALE_TEMP_MS = 24 * 60 * 60 * 1000

/**
 * Removes temp files and directories of crashed writers: `.*.tmp` entries in the bookkeeping
 * directory whatever their age (state files and the clock probe are only written under the store
 * lock, which the caller holds, and stale-lock asides are never read again: any found now belongs
 * to a process that died), and `.<key>.tmp-*` / `.trash-*` entries in namespaces once older than
 * a day (a live `ensureScratch` may still be filling a younger one).
 */
export function removeStaleTemps(root: string, now: number): void {
  const candidates: { file: string; minAgeMs: number }[] = []
  const list = (dir: string, match: (name: string) => boolean, minAgeMs: number): void => {
    try {
      for (const name of fs.readdirSync(dir)) if (match(name)) candidates.push({ file: path.join(dir, name), minAgeMs })
    } catch (err) {
      if (!isErrno(err, 'ENOENT', 'ENOTDIR')) throw err
    }
  }
  list(bookkeepingDir(root), (name) => name.startsWith('.') && name.endsWith('.tmp'), 0)
  for (const ns of ownerDirs(root)) list(ns.path, (name) => /^\.(.+\.tmp-|trash-)/.test(name), STALE_TEMP_MS)
  for (const { file, minAgeMs } of candidates) {
    try {
      if (minAgeMs === 0 || now - fs.lstatSync(file).mtimeMs > minAgeMs) fs.rmSync(file, { recursive: true, force: true })
    } catch (err) {
      if (!isErrno(err, 'ENOENT', 'EACCES', 'EPERM', 'EBUSY')) throw err
    }
  }
}

