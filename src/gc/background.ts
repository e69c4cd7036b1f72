import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { outcomeFile } from './outcome-file'

/**
 * The gc bundle the detached trash emptier loads (it exports `runTrashWorker`): the bundle that
 * holds this code, in dist/. Running from the TypeScript sources there is none, and the next run
 * finishes instead.
 */
export function gcBundleFile(): string | null {
  const file = path.join(__dirname, 'gc.cjs')
  return fs.existsSync(file) ? file : null
}

/**
 * `node:worker_threads`, loaded when a worker thread is started or run (the lockfile helper, the
 * removal after the sweep): loading it costs ~2 ms, which every CLI run and every install loading
 * the hook would pay otherwise (docs/design.md, "Performance").
 */
export function workerThreads(): typeof import('node:worker_threads') {
  return require('node:worker_threads') as typeof import('node:worker_threads')
}

/**
 * Starts one detached, low-priority `node -e` process that loads the gc bundle and runs `call`
 * (one of its exported workers). Never blocks, never prints, never throws: returns whether a
 * process was started.
 */
export function spawnGcWorker(call: string): boolean {
  const bundle = gcBundleFile()
  try {
    if (bundle === null) return false
    const script = `require(${JSON.stringify(bundle)}).${call}`
    // node:child_process is loaded here, not with the bundle (~2 ms of every CLI run and hook load).
    const { spawn } = require('node:child_process') as typeof import('node:child_process')
    const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore', windowsHide: true })
    child.on('error', () => { /* the next run does the work instead */ })
    if (child.pid !== undefined) {
      try {
        os.setPriority(child.pid, 19)
      } catch {
        // Lowering the priority is a courtesy; the workers lower their own too.
      }
    }
    child.unref()
    return child.pid !== undefined
  } catch {
    return false
  }
}

/** How long an emptier started for the same trash entries is trusted to have tried them. */
const EMPTIER_RETRY_MS = 60 * 60 * 1000
/** More entries than this are not listed: the emptier is then started at every sweep that leaves some. */
const EMPTIER_LISTED = 500

/** The last emptier started for a store: when, and the trash entries that were there. */
interface EmptierStart { at: string; entries: string[] }

function isEmptierStart(value: unknown): value is EmptierStart {
  const v = value as Partial<EmptierStart> | null
  return v !== null && typeof v === 'object' && typeof v.at === 'string' && Array.isArray(v.entries) && v.entries.every((e) => typeof e === 'string')
}

const LAST_EMPTIER = outcomeFile('trash-emptier.json', 1, isEmptierStart, ({ at, entries }) => ({ at, entries }))

/**
 * Starts one detached, low-priority process that empties `root`'s trash, so the install-time
 * sweep can return within its time bound whatever the sizes (docs/design.md, "The sweep's time
 * bound"). `left` is what the sweep left in the trash. Not started when an emptier was started
 * less than an hour before `now` with every entry of `left` already there: that one has tried
 * them, and an entry it cannot remove (another user's directory) would otherwise start a process
 * at every install. Never blocks, never prints, never throws: returns whether a process was started.
 */
export function finishInBackground(root: string, left: readonly string[], now = Date.now()): boolean {
  if (left.length === 0) return false
  const last = LAST_EMPTIER.read(root)
  const age = last === null ? NaN : now - Date.parse(last.at)
  if (last !== null && age >= 0 && age < EMPTIER_RETRY_MS) {
    const tried = new Set(last.entries)
    if (left.every((entry) => tried.has(entry))) return false
  }
  if (!spawnGcWorker(`runTrashWorker(${JSON.stringify(root)})`)) return false
  LAST_EMPTIER.write(root, { at: new Date(now).toISOString(), entries: left.length > EMPTIER_LISTED ? [] : [...left] })
  return true
}

/** Where the last emptier start is recorded (see {@link finishInBackground}). */
export function lastEmptierPath(root: string): string {
  return LAST_EMPTIER.path(root)
}
