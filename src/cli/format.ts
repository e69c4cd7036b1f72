import os from 'node:os'
import type { GcReport, SpaceReport } from '../gc/report'
import { formatBytes } from '../bytes'
import { formatAgo } from '../gc/because'
import { fitTable, plural } from './table'

/** `~/…` for paths under the home directory, as people read them. */
export function displayPath(file: string): string {
  const home = os.homedir()
  return home.length > 1 && file.startsWith(home + '/') ? `~${file.slice(home.length)}` : file
}

/** `text` with every absolute path under the home directory shortened to `~/…`. */
function shortenHome(text: string): string {
  const home = os.homedir()
  return home.length > 1 ? text.split(home + '/').join('~/') : text
}

/** A time relative to `now`: `just now`, `5 min ago`, `3 h ago`, `12 days ago` (the one age formatter: gc/because.ts). */
export function formatAge(iso: string | null, now: number): string {
  return iso === null ? 'never' : formatAgo(now - Date.parse(iso))
}

export interface Paint { green(s: string): string; red(s: string): string; dim(s: string): string; bold(s: string): string }

export function paint(color: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) => (color ? `\u001b[${open}m${s}\u001b[${close}m` : s)
  return { green: wrap(32, 39), red: wrap(31, 39), dim: wrap(2, 22), bold: wrap(1, 22) }
}

/** The projects a space was used from, short: the first one's path and how many more. */
function usedFrom(space: SpaceReport): string {
  if (space.projects.length === 0) return '-'
  const more = space.projects.length > 1 ? ` (+${space.projects.length - 1})` : ''
  return displayPath(space.projects[0]) + more
}

function spaceName(space: SpaceReport): string {
  return `${space.owner ?? '(global)'}/${space.key}`
}

/**
 * The VERDICT cell: the verdict, and the action only where the verdict does not already say it
 * (a live space is kept, an orphaned one goes): `live`, `orphaned`, `deleted`, `orphaned (kept)`,
 * `live (deleted)`, `FAILED`.
 */
function verdictCell(space: SpaceReport, p: Paint): string {
  if (space.action === 'failed') return p.red('FAILED')
  if (space.action === 'deleted') return space.verdict === 'live' ? p.red('live (deleted)') : p.red('deleted')
  if (space.verdict === 'live') return space.action === 'keep' ? p.green('live') : p.red('live (would delete)')
  return space.action === 'keep' ? p.dim('orphaned (kept)') : p.red('orphaned')
}

/** The WHY cell, without the project path the USED FROM cell already shows. */
function whyCell(space: SpaceReport): string {
  let why = space.reason
  for (const project of space.projects) {
    why = why.replace(` is installed in ${project}`, ' is installed there').replace(`used from ${project}`, 'used from there')
  }
  return shortenHome(why)
}

// Column order SPACE SIZE LAST-USED USED-FROM VERDICT WHY: what gives way first on a narrow terminal.
const POLICY = [{ min: 12 }, { min: 4 }, { min: 8, droppable: true }, { min: 8, keepEnd: true, droppable: true }, { min: 8 }, { min: 10, droppable: true }]
const SHRINK_ORDER = [5, 3, 0, 2]

/** The human view of a gc, dry run or list report: one row per space, fitted to `columns`, then a summary line. */
export function formatReport(report: GcReport, opts: { color: boolean; now: number; verb: 'gc' | 'list'; columns?: number }): string {
  const p = paint(opts.color)
  let out = ''
  if (report.spaces.length === 0) {
    out += 'No scratch spaces.\n'
  } else {
    const header = ['SPACE', 'SIZE', 'LAST USED', 'USED FROM', report.dryRun ? 'VERDICT' : 'RESULT', 'WHY'].map((h) => p.bold(h))
    const rows = report.spaces.map((space) => [
      spaceName(space), space.sized === false ? '—' : formatBytes(space.bytes), formatAge(space.lastAccess, opts.now) + (space.tracked ? '' : ' (untracked)'),
      usedFrom(space), verdictCell(space, p), whyCell(space),
    ])
    out += fitTable([header, ...rows], opts.columns, POLICY, SHRINK_ORDER)
  }
  const unknown = report.projects.filter((project) => project.status === 'unknown')
  for (const project of unknown) out += `${p.red('!')} project ${displayPath(project.dir)} is unknown: ${project.reason ?? 'unreadable'}; its spaces are kept\n`
  const deleted = report.spaces.filter((s) => s.action === 'deleted' || s.action === 'delete')
  const failed = report.spaces.filter((s) => s.action === 'failed')
  const total = report.spaces.reduce((sum, s) => sum + s.bytes, 0)
  if (opts.verb === 'list') {
    out += `${plural(report.spaces.length, 'space')}, ${formatBytes(total)}; ${plural(report.projects.filter((pr) => pr.status !== 'gone').length, 'project')} known\n`
  } else {
    const verb = report.dryRun ? 'Would delete' : 'Deleted'
    out += `${verb} ${plural(deleted.length, 'space')}, ${formatBytes(report.freedBytes)}; kept ${report.spaces.length - deleted.length - failed.length}` +
      (failed.length > 0 ? `; ${p.red(`${failed.length} failed`)}` : '') + '\n'
  }
  return out
}
