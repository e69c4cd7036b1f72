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
 */
export function markRunStart(root: string): RunStart {
  const probe = path.join(bookkeepingDir(root), `.clock-${process.pid}.tmp`)
  fs.mkdirSync(path.dirname(probe), { recursive: true, mode: 0o700 })
  const stamp = (): number => {
    fs.writeFileSync(probe, '')
    return fs.statSync(probe).mtimeMs
  }
  try {
    const first = stamp()
    let next = first
    for (let i = 0; i < 100 && next <= first; i++) {
      sleepMs(1)
      next = stamp()
    }
    return { wallMs: Date.now(), fsMs: next }
  } finally {
    fs.rmSync(probe, { force: true })
  }
}
