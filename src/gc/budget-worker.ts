import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { isErrno } from '../errors'
import { bookkeepingDir } from '../runtime/layout'
import { DAY_MS } from '../runtime/iso-time'
import { gcBundleFile, spawnGcWorker } from './background'
import { runGc } from './run'

/**
 * The install-time sweep never sizes what it keeps (its 1 s bound), so it cannot apply a size
 * budget itself: it hands it to a detached, low-priority full gc, at most once per hour per store
 * (docs/design.md, "The size budget").
 */
export const BUDGET_EVERY_MS = 60 * 60 * 1000
const STAMP = 'budget.requested'
/** The detached run's grace period: as conservative as the automatic upkeep. */
const BUDGET_GRACE_MS = 7 * DAY_MS

/**
 * Takes the hourly stamp (created exclusively, so two sweeps at the same moment start one run)
 * and starts the detached budget run. Never throws, never blocks: returns whether it started one.
 */
export function requestBudgetGc(root: string, budgetBytes: number, now = Date.now()): boolean {
  // Running from sources there is no bundle to start: the next full gc applies the budget.
  if (gcBundleFile() === null) return false
  try {
    const stamp = path.join(bookkeepingDir(root), STAMP)
    try {
      if (now - fs.statSync(stamp).mtimeMs < BUDGET_EVERY_MS) return false
      // Stale: whoever renames it away first takes the next turn.
      fs.renameSync(stamp, `${stamp}.${process.pid}.old`)
      fs.rmSync(`${stamp}.${process.pid}.old`, { force: true })
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) return false
    }
    fs.closeSync(fs.openSync(stamp, 'wx', 0o600))
    return spawnGcWorker(`runBudgetWorker(${JSON.stringify(root)}, ${budgetBytes})`)
  } catch {
    // Taken by another process, or the store is not writable: no run now, the next sweep retries.
    return false
  }
}

/**
 * What the detached process runs: a full gc of `root` with the budget and a 7-day grace period,
 * at the lowest priority, silently; a store locked by another run is left to that run.
 */
export async function runBudgetWorker(root: string, budgetBytes: number): Promise<void> {
  try {
    os.setPriority(19)
  } catch {
    // Not allowed here: run at the inherited priority.
  }
  try {
    await runGc({ root, maxSizeBytes: budgetBytes, graceMs: BUDGET_GRACE_MS, lockWaitMs: 0 })
  } catch {
    // Silent by contract; the next gc or sweep applies the budget.
  }
}
