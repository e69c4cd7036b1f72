import { isErrno } from '../errors'
import { assertOwnerName } from '../runtime/names'
import { currentRoot } from '../runtime/root'
import { scanSpaces, type SpaceEntry } from '../runtime/scan'
import { assertFormatKnown, assertStore } from '../runtime/store-mark'
import { measureTree } from '../runtime/tree'
import { writeCachedirTag } from '../runtime/store-root'
import { acquireLock } from '../store/lock'
import { deleteSpaces } from './execute'
import { emptyTrash } from './state'
import fs from 'node:fs'

export interface ClearOptions {
  root?: string
  /** Owners whose namespaces to clear. */
  owners?: string[]
  /** Clear the global namespace. */
  global?: boolean
  /** Clear every space. */
  all?: boolean
  dryRun?: boolean
  /** Called as spaces are moved away (a progress indicator for people). */
  onProgress?: (done: number, total: number) => void
}

export interface ClearedSpace { owner: string | null; key: string; path: string; bytes: number; action: 'delete' | 'deleted' | 'failed'; reason?: string }

export interface ClearReport { dryRun: boolean; freedBytes: number; spaces: ClearedSpace[] }

/**
 * What deleting `space` frees. An explicit clear deletes a space it cannot fully read as well (its
 * owner asked for it); the count then covers what could be read, and the reason says so.
 */
function sizeOf(space: SpaceEntry): { bytes: number; freeBytes: number; entries?: number; reason?: string } {
  try {
    return measureTree(space.path)
  } catch (err) {
    if (!isErrno(err)) throw err
    return { bytes: 0, freeBytes: 0, entries: Infinity, reason: `size unknown (${err.message})` }
  }
}

/**
 * Deletes the spaces of the given owners, the global namespace and/or all spaces, regardless of
 * whether they are live (an explicit request, so `SCRATCHSPACE_AUTO_GC` does not apply). Owner
 * names are validated before anything is touched. Takes the store lock.
 */
export async function clearSpaces(opts: ClearOptions): Promise<ClearReport> {
  for (const owner of opts.owners ?? []) assertOwnerName(owner)
  const root = opts.root ?? currentRoot()
  const dryRun = opts.dryRun ?? false
  // Never another program's directory; never a store whose newer format this version may misread.
  if (assertStore(root) !== 'marked') return { dryRun, freedBytes: 0, spaces: [] }
  if (!dryRun) assertFormatKnown(root)
  const selected: SpaceEntry[] = []
  if (opts.all === true) selected.push(...scanSpaces(root))
  else {
    for (const owner of opts.owners ?? []) selected.push(...scanSpaces(root, owner))
    if (opts.global === true) selected.push(...scanSpaces(root, null))
  }
  const report: ClearReport = { dryRun, freedBytes: 0, spaces: [] }
  if (dryRun || selected.length === 0) {
    for (const space of selected) {
      const size = sizeOf(space)
      report.freedBytes += size.freeBytes
      report.spaces.push({ owner: space.owner, key: space.key, path: space.path, bytes: size.bytes, action: 'delete', ...(size.reason === undefined ? {} : { reason: size.reason }) })
    }
    return report
  }
  const lock = await acquireLock(root, { waitMs: 10_000, command: 'scratch clear' })
  try {
    const sizes = selected.map((space) => sizeOf(space))
    // The gc's deletion path: everything into the trash first, then one removal pass.
    const outcomes = deleteSpaces(root, selected.map((space, index) => ({ path: space.path, entries: sizes[index].entries ?? 0 })), {
      deadline: Infinity, removeNowUpTo: Infinity, onProgress: opts.onProgress,
    })
    for (const [index, outcome] of outcomes.entries()) {
      const space = selected[index]
      const size = sizes[index]
      const entry: ClearedSpace = { owner: space.owner, key: space.key, path: space.path, bytes: size.bytes, action: 'deleted' }
      if (outcome.state === 'failed') {
        entry.action = 'failed'
        entry.reason = `${outcome.error.code}: ${outcome.error.message}`
      } else if (outcome.state !== 'missing') {
        report.freedBytes += size.freeBytes
        if (size.reason !== undefined) entry.reason = size.reason
        // Out of sight already: the space is gone for its users; the next gc empties the trash.
        if (outcome.state === 'in-trash') entry.reason = `moved to the trash; removing it failed (${outcome.error ?? 'error'}), the next gc retries`
      }
      report.spaces.push(entry)
    }
    // Clearing everything also empties what earlier runs left in the trash.
    if (opts.all === true) emptyTrash(root)
    if (opts.all === true && fs.existsSync(root)) writeCachedirTag(root)
  } finally {
    lock.release()
  }
  return report
}
