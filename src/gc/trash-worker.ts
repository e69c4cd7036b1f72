/**
 * What the detached trash emptier runs (see background.ts): `runTrashWorker(ROOT)`, called from
 * the gc bundle in a `node -e` child. Empties the trash of ROOT at the lowest priority, silently;
 * whatever it cannot remove waits for the next gc. It needs no lock: what is in the trash is out
 * of sight already, and a gc emptying the same trash at the same time tolerates entries
 * vanishing.
 */
import os from 'node:os'
import { emptyTrash } from './state'

export function runTrashWorker(root: string): void {
  if (root === '') return
  try {
    os.setPriority(19)
  } catch {
    // Not allowed here: run at the inherited priority.
  }
  try {
    emptyTrash(root)
  } catch {
    // Silent by contract; the next gc retries and reports.
  }
}
