import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { isProjectDir } from '../runtime/access-log'
import { bookkeepingDir, parseSpaceId, trashDir } from '../runtime/layout'
import { insideStore } from '../runtime/remove'
import { removeTree } from '../runtime/tree-remove'
import { newerRecords, readHistory, type History } from '../store/history'
import { loadOrphanMarks } from '../store/orphans'
import { emptyRegistry, loadRegistry, type Registry } from '../store/registry'
import { lastGcHold } from './last-gc'
import { lastSweepHold } from './last-sweep'
import { isBeingRemoved } from './remove-later'

/** Everything a run reads from the store before judging. */
export interface StoreState {
  history: History
  registry: Registry
  marks: Record<string, number>
  /**
   * `marks` as read, as JSON, when the file read sound and whole; else null. A run whose marks
   * still spell this has nothing to write (see the save step in store-run.ts).
   */
  marksAsRead: string | null
  /** Why this run must delete nothing (a state file had to be rebuilt), or undefined. */
  holdReason?: string
  /**
   * Why this run must change nothing at all, or undefined: a newer version wrote records or
   * state this one does not understand (docs/design.md, "Record versions"). Then `holdReason`
   * says it too; the caller deletes nothing and rewrites no state, as for a newer `format`.
   */
  newerWriter?: string
  warnings: string[]
}

/**
 * Loads the access history, registry and orphan marks. Damaged log lines are skipped; they are
 * reported unless `reportDamage` is null or they sit in a file already reported by an earlier run. A damaged registry is rebuilt from the
 * access history, and damaged marks start empty; either way the run is told to delete nothing,
 * because the clocks and names it would rely on are gone. `compacts: false` (a run that changes
 * nothing) reads the history without its records.
 */
export function loadState(root: string, reportDamage: { except: string[] } | null, { compacts = true }: { compacts?: boolean } = {}): StoreState {
  // Record times past the real clock count as now (the policy clock of a run may be set ahead).
  // A run that cannot compact (a dry run) needs the usage only, not the records.
  const history = readHistory(root, Date.now(), { records: compacts })
  const warnings: string[] = []
  const holds: string[] = []
  let damaged = 0
  for (const [file, count] of history.damagedLines) if (reportDamage !== null && !reportDamage.except.includes(file)) damaged += count
  if (damaged > 0) warnings.push(`skipped ${damaged} damaged line(s) in the access log`)
  const registryRead = loadRegistry(root)
  let registry: Registry = emptyRegistry()
  if (registryRead.state === 'ok') registry = registryRead.value
  if (registryRead.ignored !== undefined) {
    warnings.push(`ignored the registry's delta (${registryRead.ignored}): the registry file alone keeps every project and name the delta would take away, so no space in use is lost; a run that saves the registry writes it whole, which removes the delta`)
  }
  if (registryRead.state === 'damaged') holds.push(`the project registry was damaged (${registryRead.reason}) and was rebuilt from the access log`)
  const marksRead = loadOrphanMarks(root)
  let marks: Record<string, number> = {}
  if (marksRead.state === 'ok') marks = marksRead.value.marks
  if (marksRead.state === 'damaged') holds.push(`the orphan marks were damaged (${marksRead.reason}) and were reset`)
  const strays = dropUnsound(registry, marks)
  const marksAsRead = marksRead.state === 'ok' && strays === 0 ? JSON.stringify(marks) : null
  if (strays > 0) warnings.push(`skipped ${strays} damaged entr${strays === 1 ? 'y' : 'ies'} (a project that is not an absolute path, or a space that is not <owner>/<key>) in the registry or orphan marks`)
  for (const hold of holds) warnings.push(`${hold}; this run deletes nothing`)
  const newer = [newerRecords(history), ...[registryRead, marksRead].map((read) => read.state === 'newer' ? read.reason : undefined), lastSweepHold(root), lastGcHold(root)]
    .filter((reason) => reason !== undefined)
  const newerWriter = newer.length > 0 ? newer.join('; ') : undefined
  if (newerWriter !== undefined) {
    holds.push(newerWriter)
    warnings.push(`${newerWriter}; this run deletes nothing and rewrites no state; upgrade pnpm-plugin-scratch to clean this store`)
  }
  return { history, registry, marks, marksAsRead, holdReason: holds.length > 0 ? holds.join('; ') : undefined, newerWriter, warnings }
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

/**
 * Removes what earlier runs left in the trash, oldest first, until `deadline` (epoch ms).
 * Returns the entries left (not yet removed, or failing). A trash that is not a real directory
 * inside the store (a link planted in its place, or a linked bookkeeping directory) is never
 * entered: what it points at is not the store's. A planted link goes; the next deletion makes a
 * real trash. Entries this process is removing in the background (remove-later.ts) are theirs:
 * neither removed here nor returned.
 */
export function emptyTrash(root: string, deadline = Infinity): string[] {
  const dir = trashDir(root)
  let names: string[]
  try {
    if (!insideStore(root, path.join(dir, 'entry'))) {
      if (insideStore(root, dir)) fs.rmSync(dir, { force: true })
      return []
    }
    names = fs.readdirSync(dir).sort()
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return []
    throw err
  }
  const left: string[] = []
  for (const name of names) {
    if (isBeingRemoved(path.join(dir, name))) continue
    try {
      if (Date.now() > deadline || !removeTree(path.join(dir, name), { deadline })) left.push(name)
    } catch (err) {
      if (!isErrno(err)) throw err
      left.push(name)
    }
  }
  return left
}
