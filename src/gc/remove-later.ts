import fs from 'node:fs'
import path from 'node:path'
import { LONG_PATH } from '../runtime/tree'
import { removeTree } from '../runtime/tree-remove'

/**
 * Removing trees that are already in the trash after the install-time sweep has returned, while
 * the package manager goes on with its install in the same process (docs/design.md, "Removing
 * after the sweep"). The sweep itself only renames the doomed spaces away, so they are deleted
 * for their users when it returns; the files are unlinked here on the thread pool of the event
 * loop, a few at a time, which overlaps both with the install and with each other (on a disk
 * mounted with online discard one unlink takes ~150 µs; four at a time take about a third of the
 * time one after the other).
 *
 * Only for hosts that keep running and wait for pending I/O before they exit (pnpm 10/11 run the
 * hooks in their own process): a host that kills the process as soon as the hook returns leaves
 * the trash to the next run. When the process exits with work pending (`process.exit`), an `exit`
 * listener finishes it synchronously, within a bound, as the sweep would have.
 */

/** Unlinks in flight at once: the event loop's thread pool has four threads by default. */
const PARALLEL = 4
/** What the `exit` listener spends at most on what is still pending; the rest waits in the trash. */
const EXIT_BUDGET_MS = 300
/**
 * Files pending at most, all trees together: a host waits for them before it exits, so past this
 * a tree is not taken (the caller removes it within its own time bound or leaves it to the
 * detached emptier).
 */
const MAX_PENDING_FILES = 4_000
/**
 * How long after a tree is handed over unlinks are still started: on a disk slow enough that the
 * pending files take longer, the rest of the tree stays in the trash for the next run instead of
 * holding the host's exit.
 */
const LATER_BUDGET_MS = 1_000

interface Removal {
  /** The tree's files (and links) to unlink, deepest directories' last. */
  files: string[]
  next: number
  running: number
  /** Epoch ms after which no unlink is started; what is left then stays in the trash. */
  deadline: number
  stopped: boolean
}

const pending = new Map<string, Removal>()
let pendingFiles = 0
let exitListener = false
let waiters: Array<() => void> = []

/**
 * Starts removing `tree` (a directory or file in the trash, out of sight) in the background.
 * Lists it synchronously first (what is listed is unlinked later, four at a time); once every
 * listed file is gone or failed, the synchronous {@link removeTree} removes the directories and
 * whatever is left (unusual modes, deep paths), and its errors are dropped: the tree stays in the
 * trash for the next run. Returns false, having started nothing, when the tree holds more than
 * `maxEntries` entries, would take the files pending past {@link MAX_PENDING_FILES}, or cannot be
 * listed; the caller then treats it as before. Past `deadline` (default: a second from now) no
 * unlink is started and the tree is left in the trash as it is then, for the next run.
 * Never throws, and nothing it starts throws later.
 */
export function removeLater(tree: string, maxEntries: number, deadline = Date.now() + LATER_BUDGET_MS): boolean {
  if (pending.has(tree)) return true
  const files = listFiles(tree, maxEntries)
  if (files === null || pendingFiles + files.length > MAX_PENDING_FILES) return false
  const removal: Removal = { files, next: 0, running: 0, deadline, stopped: false }
  pending.set(tree, removal)
  pendingFiles += files.length
  if (!exitListener) {
    exitListener = true
    process.once('exit', finishNow)
  }
  pump(tree, removal)
  return true
}

/** Whether `tree` was handed to {@link removeLater} and is not done yet. */
export function isBeingRemoved(tree: string): boolean {
  return pending.has(tree)
}

/** Resolves once nothing handed to {@link removeLater} is pending (for callers that can wait). */
export function removalsSettled(): Promise<void> {
  return pending.size === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))
}

function settleWaiters(): void {
  if (pending.size > 0) return
  const settled = waiters
  waiters = []
  for (const resolve of settled) resolve()
}

function pump(tree: string, removal: Removal): void {
  if (!removal.stopped && removal.next < removal.files.length && Date.now() > removal.deadline) removal.stopped = true
  while (!removal.stopped && removal.running < PARALLEL && removal.next < removal.files.length) {
    const file = removal.files[removal.next++]
    removal.running++
    try {
      fs.unlink(file, () => {
        // Failures (ENOENT from a concurrent emptier, EACCES) are the final removeTree's to handle.
        removal.running--
        pump(tree, removal)
      })
    } catch {
      removal.running--
    }
  }
  if (removal.running === 0 && (removal.stopped || removal.next >= removal.files.length)) finish(tree)
}

function finish(tree: string): void {
  const removal = pending.get(tree)
  if (removal === undefined) return
  pending.delete(tree)
  pendingFiles -= removal.files.length
  try {
    if (!removal.stopped) removeTree(tree)
  } catch {
    // What is left waits in the trash for the next run.
  }
  settleWaiters()
}

/** The `exit` listener: what is still pending is removed here, synchronously, within a bound. */
function finishNow(): void {
  const deadline = Date.now() + EXIT_BUDGET_MS
  const trees = [...pending.keys()]
  pending.clear()
  pendingFiles = 0
  for (const tree of trees) {
    try {
      // Unlinks still in flight on the thread pool may race this; ENOENT counts as done there.
      if (Date.now() <= deadline) removeTree(tree, { deadline })
    } catch {
      // Left in the trash for the next run.
    }
  }
}

/**
 * The files and links of `tree` (a file, link or directory; links are not followed), or null
 * when it has more than `maxEntries` entries or a directory cannot be listed. Paths longer than
 * the tree code's bound are not descended into: the final removeTree handles them.
 */
function listFiles(tree: string, maxEntries: number): string[] | null {
  const files: string[] = []
  let stat: fs.Stats
  try {
    stat = fs.lstatSync(tree)
  } catch {
    return null
  }
  if (!stat.isDirectory()) return [tree]
  const dirs = [tree]
  let entries = 0
  while (dirs.length > 0) {
    const dir = dirs.pop()!
    let listed: fs.Dirent[]
    try {
      listed = fs.readdirSync(dir, { withFileTypes: true })
    } catch {
      return null
    }
    entries += listed.length
    if (entries > maxEntries) return null
    for (const entry of listed) {
      const child = path.join(dir, entry.name)
      if (child.length > LONG_PATH) continue
      if (entry.isDirectory()) dirs.push(child)
      else files.push(child)
    }
  }
  return files
}
