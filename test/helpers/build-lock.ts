import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/**
 * Runs `fn` holding the cross-process build lock of the repository at `repoRoot` (one lock
 * directory per repository, shared by `test/helpers/dist.ts` and the e2e harness), so parallel
 * jest workers build once and a build never removes dist/ under another worker. A lock older
 * than `timeoutMs` is taken as abandoned; waiting longer than `timeoutMs` throws.
 * Takes the root as an argument (no `__dirname` here): the demo scripts bundle the e2e harness.
 */
export function withBuildLock<T>(repoRoot: string, timeoutMs: number, fn: () => T): T {
  const id = crypto.createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)
  const lock = path.join(os.tmpdir(), `pnpm-plugin-scratch-build-${id}.lock`)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      fs.mkdirSync(lock)
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const stat = fs.statSync(lock, { throwIfNoEntry: false })
      if (stat !== undefined && Date.now() - stat.mtimeMs > timeoutMs) fs.rmSync(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${lock}`)
      sleepSync(100)
    }
  }
  try {
    return fn()
  } finally {
    fs.rmSync(lock, { recursive: true, force: true })
  }
}
