import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * The file the detached trash emptier runs: built beside the bundle that holds this code
 * (dist/). Running from the TypeScript sources there is none, and the next run finishes instead.
 */
export function trashWorkerFile(): string | null {
  const file = path.join(__dirname, 'trash-worker.cjs')
  return fs.existsSync(file) ? file : null
}

/**
 * Starts one detached, low-priority process that empties `root`'s trash, so the install-time
 * sweep can return within its time bound whatever the sizes (docs/design.md, "The sweep's time
 * bound"). Never blocks, never prints, never throws: returns whether a process was started.
 */
export function finishInBackground(root: string): boolean {
  const worker = trashWorkerFile()
  try {
    if (worker === null) return false
    const child = spawn(process.execPath, [worker, root], { detached: true, stdio: 'ignore', windowsHide: true })
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
