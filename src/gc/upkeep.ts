/**
 * The periodic upkeep (docs/design.md, "Periodic upkeep"): the full gc the runtime starts by
 * itself in a detached process when it creates a space and the store's last full gc is 7 days
 * old (the trigger and its claim are in the runtime, which must stay small).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { UPKEEP_EVERY_MS } from '../runtime/compaction-trigger'
import { bookkeepingDir } from '../runtime/layout'
import { formatHold } from '../runtime/store-mark'
import { recordLastGc } from './last-gc'
import { runGc } from './run'

/** The grace period of the automatic gc: a space orphaned for less is kept. */
export const UPKEEP_GRACE_MS = UPKEEP_EVERY_MS

/**
 * Removes the claim names (`upkeep.stamp.<ms>`) of earlier upkeeps. The newest stays: a process
 * that saw the stamp stale a moment ago may still try to claim it under that name, and must lose.
 */
function pruneClaims(root: string): void {
  const book = bookkeepingDir(root)
  const claims = fs.readdirSync(book)
    .map((name) => /^upkeep\.stamp\.(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]))
  for (const claim of claims.slice(1)) fs.rmSync(path.join(book, claim[0]), { force: true })
}

/**
 * What the detached upkeep process runs (`dist/gc.cjs`'s `upkeepStore`): at the lowest CPU
 * priority, one full gc of `root` with a 7-day grace period, recorded as automatic. A failure
 * is recorded too (it is never printed: nobody is watching). Never rejects.
 */
export async function upkeepStore(root: string): Promise<void> {
  try {
    os.setPriority(19)
  } catch {
    // Not permitted here: run at the normal priority.
  }
  // A store of a newer format is that version's to look after: no run, and nothing recorded.
  if (formatHold(root) !== undefined) return
  try {
    pruneClaims(root)
  } catch {
    // Left for the next upkeep; the gc decides what this store is.
  }
  try {
    await runGc({ root, graceMs: UPKEEP_GRACE_MS, automatic: true })
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    recordLastGc(root, { dryRun: false, freedBytes: 0, projects: [], spaces: [], warnings: [`automatic gc failed: ${message}`] }, Date.now(), true)
  }
}
