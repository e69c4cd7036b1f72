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
 * Starts one detached, low-priority process that empties `root`'s trash, so the install-time
 * sweep can return within its time bound whatever the sizes (docs/design.md, "The sweep's time
 * bound"). Never blocks, never prints, never throws: returns whether a process was started.
 */
export function finishInBackground(root: string): boolean {
  const bundle = gcBundleFile()
  try {
    if (bundle === null) return false
    const script = `require(${JSON.stringify(bundle)}).runTrashWorker(${JSON.stringify(root)})`
    const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore', windowsHide: true })
    child.on('error', () => { /* the next run empties the trash instead */ })
    if (child.pid !== undefined) {
      try {
        os.setPriority(child.pid, 19)
      } catch {
        // Lowering the priority is a courtesy; the worker lowers its own too.
      }
    }
    child.unref()
    return child.pid !== undefined
  } catch {
    return false
  }
}
