import path from 'node:path'
import { ScratchError, isErrno } from '../errors'
import { pruneEmptyParents, removeTrashed, trashSpace } from '../runtime/remove'
import { removeLater } from './remove-later'

/** One space to delete: where it is, and how many entries it holds (Infinity: not counted). */
export interface Deletion { path: string; entries: number }

/** What became of one deletion. */
export type DeletionOutcome =
  /** Gone and removed. */
  | { state: 'removed' }
  /** Out of sight (in the trash); the rest is left to the background emptier or the next run. */
  | { state: 'in-trash'; error?: string }
  /** It was not there any more (someone else deleted it). */
  | { state: 'missing' }
  /** It could not be moved away: it is still there. */
  | { state: 'failed'; error: ScratchError | NodeJS.ErrnoException }

export interface DeleteLimits {
  /** Epoch ms after which nothing more is removed (what is left waits in the trash). */
  deadline: number
  /** Trees with more entries than this are left in the trash for a background emptier. */
  removeNowUpTo: number
  /**
   * After removing for this many milliseconds, what is left of the trees within `removeNowUpTo`
   * goes to a worker thread that removes it after the call returns (remove-later.ts): for the
   * install-time sweep in a host that keeps running. Starting the worker costs the caller's
   * thread ~5 ms, so a removal that is over sooner (small spaces, a fast disk) starts none.
   */
  removeLaterAfterMs?: number
  /** Called after each space is moved away (a progress indicator). */
  onProgress?: (done: number, total: number) => void
}

/**
 * THE deletion of a batch of spaces (gc, the install-time sweep, `scratch clear`): first every
 * space is renamed into the trash (`trashSpace`: one rename each, so each is whole or gone, and
 * all of them are out of sight before the slow part starts), then the namespaces they leave
 * empty are removed (once each), then the trash copies are removed within the limits. One
 * outcome per deletion, in order.
 */
export function deleteSpaces(root: string, deletions: readonly Deletion[], limits: DeleteLimits): DeletionOutcome[] {
  const outcomes: DeletionOutcome[] = []
  const trashed: (string | null)[] = []
  const parents = new Set<string>()
  for (const [index, deletion] of deletions.entries()) {
    try {
      const moved = trashSpace(root, deletion.path)
      trashed.push(moved)
      outcomes.push(moved === null ? { state: 'missing' } : { state: 'in-trash' })
      parents.add(path.dirname(deletion.path))
    } catch (err) {
      if (!isErrno(err) && !(err instanceof ScratchError)) throw err
      trashed.push(null)
      outcomes.push({ state: 'failed', error: err })
    }
    limits.onProgress?.(index + 1, deletions.length)
  }
  // Deepest first, so an `@scope` directory goes after the namespace inside it.
  for (const parent of [...parents].sort((a, b) => b.length - a.length)) pruneEmptyParents(root, parent)
  const now: number[] = []
  for (const [index, moved] of trashed.entries()) {
    if (moved !== null && deletions[index].entries <= limits.removeNowUpTo) now.push(index)
  }
  let handOverAt = limits.removeLaterAfterMs === undefined ? Infinity : Date.now() + limits.removeLaterAfterMs
  let k = 0
  while (k < now.length) {
    // Handed over, the rest stays 'in-trash': out of sight, being emptied by a worker thread.
    if (Date.now() >= handOverAt) {
      if (removeLater(root, now.slice(k).map((index) => trashed[index] as string))) return outcomes
      handOverAt = Infinity
    }
    const index = now[k]
    try {
      if (removeTrashed(trashed[index] as string, Math.min(limits.deadline, handOverAt))) outcomes[index] = { state: 'removed' }
      // Stopped for the handover, not by the deadline: this tree goes with the rest.
      else if (handOverAt < limits.deadline && Date.now() >= handOverAt) continue
    } catch (err) {
      // Out of sight already, so it is deleted for its users; the trash copy waits for the next run.
      if (!isErrno(err)) throw err
      outcomes[index] = { state: 'in-trash', error: err.code ?? 'error' }
    }
    k++
  }
  return outcomes
}
