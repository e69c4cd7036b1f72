import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

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
 * Starts one detached, low-priority `node -e` process that loads the gc bundle and runs `call`
 * (one of its exported workers). Never blocks, never prints, never throws: returns whether a
 * process was started.
 */
export function spawnGcWorker(call: string): boolean {
  const bundle = gcBundleFile()
  try {
    if (bundle === null) return false
    const script = `require(${JSON.stringify(bundle)}).${call}`
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

/**
 * Starts one detached, low-priority process that empties `root`'s trash, so the install-time
 * sweep can return within its time bound whatever the sizes (docs/design.md, "The sweep's time
 * bound"). Never blocks, never prints, never throws: returns whether a process was started.
 */
export function finishInBackground(root: string): boolean {
  return spawnGcWorker(`runTrashWorker(${JSON.stringify(root)})`)
}
