import fs from 'node:fs'
import path from 'node:path'
import { bookkeepingDir } from '../runtime/layout'

/** When a run started, on the wall clock (for access records) and on the filesystem's clock. */
export interface RunStart { wallMs: number; fsMs: number }

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/**
 * Marks the start of a run for the race guard. File timestamps come from the kernel's coarse
 * clock, so a space created just before the run can carry the same stamp as one created just
 * after. This waits (at most a few milliseconds) until a probe file's stamp moves past the first
 * one: everything created before has a stamp below `fsMs`, everything after at least `fsMs`.
 * Access records carry whole milliseconds, so it also waits for the wall clock to leave the
 * millisecond it was called in: a record written before has a time below `wallMs` (it is not
 * taken for a use during the run), one written after at least `wallMs`.
 */
export function markRunStart(root: string): RunStart {
  const probe = path.join(bookkeepingDir(root), `.clock-${process.pid}.tmp`)
  fs.mkdirSync(path.dirname(probe), { recursive: true, mode: 0o700 })
  const stamp = (): number => {
    fs.writeFileSync(probe, '')
    return fs.statSync(probe).mtimeMs
  }
  try {
    const calledAt = Date.now()
    // Both waits are bounded on the monotonic clock: a wall clock set back meanwhile must not hold
    // the run (an install) for as long as it was set back. Giving up only keeps more.
    const started = performance.now()
    const first = stamp()
    let next = first
    // Polled every quarter millisecond (a tick is 1–10 ms): the wait ends within 0.25 ms of the
    // tick instead of within 1 ms. At most 100 ms, as before, on a file system slower than that.
    while (next <= first && performance.now() - started < 100) {
      sleepMs(0.25)
      next = stamp()
    }
    let wallMs = Date.now()
    while (wallMs <= calledAt && performance.now() - started < 105) {
      sleepMs(0.25)
      wallMs = Date.now()
    }
    return { wallMs, fsMs: next }
  } finally {
    fs.rmSync(probe, { force: true })
  }
}
