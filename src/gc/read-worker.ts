import os from 'node:os'
import type { MessagePort, Worker } from 'node:worker_threads'
import { gcBundleFile, workerThreads } from './background'
import { intern, readProject, type ReadJob, type ReadOutcome } from './projects'

/**
 * Below this many projects to read, a second thread costs more than it saves: starting one and
 * loading the gc bundle in it takes ~30–60 ms, reading a 1,000-package lockfile ~2–3 ms.
 */
export const PARALLEL_FROM = 48

// The shared words: the next job to claim, whether the helper has started, whether it is done.
const NEXT = 0
const STARTED = 1
const DONE = 2
/** How long to wait for the helper's last reads once every job is claimed; then they are read here. */
const FINISH_WAIT_MS = 10_000

/** A helper's outcome for one job: its names as numbers in the helper's {@link NameTable}, or why there are none. */
export type Packed = { ids: Int32Array } | { reason: string }

/**
 * The helper's names, each once, numbered in order of first use. Outcomes cross the threads as
 * numbers into it, and the table once (docs/design.md, "Reading lockfiles fast"): the main thread
 * then interns each distinct name once, not every name of every project. Names are copied out of
 * the lockfile text on entry, so the table holds no text alive.
 */
export class NameTable {
  readonly names: string[] = []
  private readonly ids = new Map<string, number>()

  /** The outcome as it crosses from the helper thread. */
  pack(outcome: ReadOutcome): Packed {
    if ('reason' in outcome) return outcome
    const ids = new Int32Array(outcome.names.length)
    for (let k = 0; k < ids.length; k++) {
      const name = outcome.names[k]
      let id = this.ids.get(name)
      if (id === undefined) {
        id = this.names.push((` ${name}`).slice(1)) - 1
        this.ids.set(this.names[id], id)
      }
      ids[k] = id
    }
    return { ids }
  }
}

/** The outcome {@link NameTable.pack} was given, its names from `names` (the table, interned). */
export function unpack(packed: Packed, names: readonly string[]): ReadOutcome {
  return 'reason' in packed ? packed : { names: Array.from(packed.ids, (id) => names[id]), interned: true }
}

/**
 * Reads every job's lockfiles ({@link readProject}), on two threads when there are at least
 * {@link PARALLEL_FROM} jobs, more than one core and a gc bundle to load in a worker
 * (docs/design.md, "Performance"). Synchronous: the helper thread claims jobs from a shared
 * counter while this thread does the same, so a helper that starts late or runs slowly (a busy
 * core) only reads less. Whatever the helper claimed and did not deliver is read here, so a
 * helper that fails to start or dies changes nothing but the time. Each outcome goes through
 * `settle` as soon as it is known, so nothing holds on to a lockfile's text (the names read here
 * are slices of it) beyond that call.
 */
export function readProjects<T>(jobs: readonly ReadJob[], settle: (job: ReadJob, outcome: ReadOutcome) => T): T[] {
  const settled = new Array<T | undefined>(jobs.length)
  const helper = jobs.length >= PARALLEL_FROM && os.availableParallelism() > 1 ? startHelper(jobs) : null
  const shared = helper?.shared ?? new Int32Array(3)
  for (let i = Atomics.add(shared, NEXT, 1); i < jobs.length; i = Atomics.add(shared, NEXT, 1)) settled[i] = settle(jobs[i], readProject(jobs[i]))
  if (helper !== null) for (const [i, outcome] of helper.finish()) settled[i] = settle(jobs[i], outcome)
  for (let i = 0; i < jobs.length; i++) if (settled[i] === undefined) settled[i] = settle(jobs[i], readProject(jobs[i]))
  return settled as T[]
}

function startHelper(jobs: readonly ReadJob[]): { shared: Int32Array; finish: () => Array<[number, ReadOutcome]> } | null {
  const bundle = gcBundleFile()
  if (bundle === null) return null
  const shared = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT))
  const { MessageChannel, Worker: WorkerThread, receiveMessageOnPort } = workerThreads()
  const { port1, port2 } = new MessageChannel()
  let worker: Worker
  try {
    // DONE is set whatever happens in the helper, so the wait below ends when it does.
    const script = `const { workerData } = require('node:worker_threads'); try { require(${JSON.stringify(bundle)}).runReadWorker() } ` +
      `finally { Atomics.store(workerData.shared, ${DONE}, 1); Atomics.notify(workerData.shared, ${DONE}) }`
    worker = new WorkerThread(script, { eval: true, workerData: { jobs, shared, port: port2 }, transferList: [port2], stdout: true, stderr: true })
  } catch {
    return null
  }
  worker.unref()
  worker.on('error', () => { /* its unread jobs are read by the main thread */ })
  return {
    shared,
    finish() {
      // Every job is claimed now. A helper that never started claimed none and is not waited for.
      const delivered: Array<[number, ReadOutcome]> = []
      if (Atomics.load(shared, STARTED) === 1 && Atomics.wait(shared, DONE, 0, FINISH_WAIT_MS) !== 'timed-out') {
        const message = receiveMessageOnPort(port1)?.message as { names: string[]; done: Array<[number, Packed]> } | undefined
        const names = message?.names.map(intern) ?? []
        for (const [i, packed] of message?.done ?? []) {
          delivered.push([i, unpack(packed, names)])
        }
      }
      port1.close()
      void worker.terminate()
      return delivered
    },
  }
}

/**
 * The helper thread's side of {@link readProjects}, run from the gc bundle in a worker: claims
 * and reads jobs until none is left, then posts every outcome at once. Names cross as numbers
 * into one {@link NameTable} (copying 500,000 strings one by one cost ~80 ms; one joined string
 * ~15 ms, and then every name was interned again on the main thread).
 */
export function runReadWorker(): void {
  const { jobs, shared, port } = workerThreads().workerData as { jobs: ReadJob[]; shared: Int32Array; port: MessagePort }
  Atomics.store(shared, STARTED, 1)
  const table = new NameTable()
  const done: Array<[number, Packed]> = []
  try {
    for (let i = Atomics.add(shared, NEXT, 1); i < jobs.length; i = Atomics.add(shared, NEXT, 1)) {
      done.push([i, table.pack(readProject(jobs[i]))])
    }
  } finally {
    port.postMessage({ names: table.names, done })
  }
}
