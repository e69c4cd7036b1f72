/**
 * What every install hook says and checks, shared by the pnpm plugin and the yarn plugin: the
 * `SCRATCHSPACE_AUTO_GC` switch, and the one summary line and one warning line a sweep is
 * worth. Hooks never print anything else.
 */
import { formatBytes } from '../src/bytes'
import type { GcReport } from '../src/gc'

export const PREFIX = 'pnpm-plugin-scratch:'

export { autoGcEnabled } from '../src/runtime/env-switch'

export function messageOf(err: unknown): string {
  if (err instanceof Error) return 'code' in err && typeof err.code === 'string' && !err.message.includes(err.code) ? `${err.message} (${err.code})` : err.message
  return String(err)
}

/** The one line the sweep is worth telling the user about, or null when it did nothing visible. */
export function summaryLine(report: GcReport): string | null {
  const deleted = report.spaces.filter((space) => space.action === 'deleted')
  if (deleted.length === 0) return null
  const owners = [...new Set(deleted.map((space) => space.owner ?? '(global)'))].sort()
  return `${PREFIX} removed ${deleted.length} scratch space${deleted.length === 1 ? '' : 's'} ` +
    `(${formatBytes(report.freedBytes)}) of packages no longer installed: ${owners.join(', ')}`
}

/** The one warning line for what went wrong, or null when nothing did. */
export function warningLine(report: GcReport): string | null {
  const problems = [...report.warnings]
  for (const space of report.spaces) {
    if (space.action === 'failed') problems.push(`could not delete ${space.path}: ${space.reason}`)
  }
  return problems.length === 0 ? null : `${PREFIX} warning: ${problems.join('; ')}`
}
