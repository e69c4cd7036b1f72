/**
 * Entry of the detached trash emptier (see background.ts): `node trash-worker.cjs ROOT`. Empties
 * the trash of ROOT at the lowest priority, silently; whatever it cannot remove waits for the
 * next gc. It needs no lock: what is in the trash is out of sight already, and a gc emptying
 * the same trash at the same time tolerates entries vanishing.
 */
import os from 'node:os'
import { emptyTrash } from './state'

const root = process.argv[2]
if (root !== undefined && root !== '') {
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
