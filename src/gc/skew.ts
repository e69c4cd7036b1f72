import fs from 'node:fs'
import { isErrno } from '../errors'

/** How far ahead of the run's clock an mtime may be before it is a clock error, not a coarse timestamp. */
const FUTURE_SLACK_MS = 60_000

/**
 * The mtime a run judges an untracked space by. A time from the future (a clock that ran ahead
 * when the space was written) counts as now, and a real run also sets the directory's mtime to
 * now, so the space ages from today: otherwise it would count as "just modified" on every run
 * until that date, kept for years. Only the directory's own timestamp changes, never its content.
 * See docs/design.md, "Store format".
 */
export function settleFutureMtime(spacePath: string, mtimeMs: number, wallNow: number, dryRun: boolean): number {
  if (mtimeMs <= wallNow + FUTURE_SLACK_MS) return mtimeMs
  if (!dryRun) {
    try {
      const when = new Date(wallNow)
      fs.utimesSync(spacePath, when, when)
    } catch (err) {
      // Best effort: the verdict counts the time as now either way.
      if (!isErrno(err)) throw err
    }
  }
  return wallNow
}
