import type { Worker } from 'node:worker_threads'
import { insideStore } from '../runtime/remove'
import { removeTree } from '../runtime/tree-remove'
import { gcBundleFile, workerThreads } from './background'

/**
 * Removing trees that are already in the trash after the install-time sweep has returned, on a
 * thread of the host's process, while the package manager goes on with its install
 * (docs/design.md, "Removing after the sweep"). The sweep only renames the doomed spaces away, so
 * they are deleted for their users when it returns; unlinking their files is left to a worker
 * thread that runs the same tree remover the sweep would have run, with the same time bound.
 *
 * Only for hosts that keep running and wait for their threads before they exit (pnpm 10/11 run
 * the hooks in their own process): a host that kills the process as soon as the hook returns
 * leaves the trash to the next run. When the process exits with a tree not done
 * (`process.exit`), an `exit` listener removes it synchronously, within the same bound.
 */

/** What removing the trees may take in all, from the handover: the sweep's own removal budget. */
const LATER_BUDGET_MS = 300
/** A worker still running this long after its deadline (a bundle that never returns) is terminated. */
const TERMINATE_AFTER_MS = 200

/** Trees handed to a worker and not reported done. */
const pending = new Set<string>()
/** Every handover not finished, for the exit listener: which of its trees the worker has reported done. */
interface Handover { root: string; trees: readonly string[]; deadline: number; done: Int32Array }
const unfinished = new Set<Handover>()
let exitListener = false

/**
 * Starts one worker thread that removes `trees` (in `root`'s trash, out of sight) one after the
 * other, each only while the way to it from `root` is real directories (see `insideStore`),
 * until `LATER_BUDGET_MS` after this call; what it leaves stays in the trash for the next run.
 * Returns false, having started nothing, when no gc bundle can be loaded in a worker (running
 * from the sources) or the worker cannot be started: the caller then removes them itself.
 * Never throws, and nothing it starts throws later.
 */
export function removeLater(root: string, trees: readonly string[]): boolean {
  if (trees.length === 0) return true
  const bundle = gcBundleFile()
  if (bundle === null) return false
  const deadline = Date.now() + LATER_BUDGET_MS
  const done = new Int32Array(new SharedArrayBuffer(trees.length * Int32Array.BYTES_PER_ELEMENT))
  let worker: Worker
  try {
    const { Worker: WorkerThread } = workerThreads()
    const script = `require(${JSON.stringify(bundle)}).runRemoveWorker()`
    worker = new WorkerThread(script, { eval: true, workerData: { root, trees, deadline, done }, stdout: true, stderr: true })
  } catch {
    return false
  }
  for (const tree of trees) pending.add(tree)
  const handover: Handover = { root, trees, deadline, done }
  unfinished.add(handover)
  // The host waits for the worker before it exits; one that outlives its deadline is stopped.
  const stop = setTimeout(() => { void worker.terminate().catch(() => undefined) }, LATER_BUDGET_MS + TERMINATE_AFTER_MS)
  stop.unref()
  worker.on('error', () => { /* what it left stays in the trash for the next run */ })
  worker.on('exit', () => {
    clearTimeout(stop)
    unfinished.delete(handover)
    for (const tree of trees) pending.delete(tree)
  })
  if (!exitListener) {
    exitListener = true
    process.once('exit', finishNow)
  }
  return true
}

/**
 * The worker's side, run from the gc bundle: removes each tree within the deadline and marks it
 * done. Every error is swallowed: the tree stays in the trash.
 */
export function runRemoveWorker(): void {
  const { root, trees, deadline, done } = workerThreads().workerData as { root: string; trees: string[]; deadline: number; done: Int32Array }
  for (const [index, tree] of trees.entries()) {
    if (Date.now() > deadline) break
    try {
      if (insideStore(root, tree)) removeTree(tree, { deadline })
    } catch {
      // Left in the trash for the next run.
    }
    Atomics.store(done, index, 1)
  }
}

/** Whether `tree` was handed to {@link removeLater} and its worker has not finished. */
export function isBeingRemoved(tree: string): boolean {
  return pending.has(tree)
}

/**
 * The `exit` listener: a tree the worker has not reported done is removed here, synchronously,
 * until the same deadline its worker had (so an exit never waits longer than the worker would
 * have). The worker may still be at it (threads end after the `exit` listeners); the tree
 * remover counts what the other removed (`ENOENT`) as done.
 */
function finishNow(): void {
  const handovers = [...unfinished]
  unfinished.clear()
  for (const { root, trees, deadline, done } of handovers) {
    for (const [index, tree] of trees.entries()) {
      if (Atomics.load(done, index) === 1 || !pending.has(tree) || Date.now() > deadline) continue
      try {
        if (insideStore(root, tree)) removeTree(tree, { deadline })
      } catch {
        // Left in the trash for the next run.
      }
    }
  }
  pending.clear()
}
