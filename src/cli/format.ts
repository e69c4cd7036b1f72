import os from 'node:os'
import type { GcReport, SpaceReport } from '../gc/report'

/** Bytes for people, in binary units: `0 B`, `512 B`, `1.5 KiB`, `3.2 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++ }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`
}

/** `~/…` for paths under the home directory, as people read them. */
export function displayPath(file: string): string {
  const home = os.homedir()
  return home.length > 1 && file.startsWith(home + '/') ? `~${file.slice(home.length)}` : file
}

/** `text` with every absolute path under the home directory shortened to `~/…`. */
export function shortenHome(text: string): string {
  const home = os.homedir()
  return home.length > 1 ? text.split(home + '/').join('~/') : text
}

/** A time relative to `now`: `just now`, `5 min ago`, `3 h ago`, `12 days ago`. */
export function formatAge(iso: string | null, now: number): string {
  if (iso === null) return 'never'
  const ms = now - Date.parse(iso)
  if (ms < 60_000) return 'just now'
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h ago`
  const days = Math.floor(ms / 86_400_000)
  return `${days} day${days === 1 ? '' : 's'} ago`
}

export interface Paint { green(s: string): string; red(s: string): string; dim(s: string): string; bold(s: string): string }

export function paint(color: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) => (color ? `\u001b[${open}m${s}\u001b[${close}m` : s)
  return { green: wrap(32, 39), red: wrap(31, 39), dim: wrap(2, 22), bold: wrap(1, 22) }
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return ''
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => visibleLength(row[i] ?? ''))))
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - visibleLength(cell)))).join('  ').trimEnd()).join('\n') + '\n'
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[\d+m/g, '').length
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

const ACTION_WORD: Record<SpaceReport['action'], string> = { keep: 'keep', delete: 'would delete', deleted: 'deleted', failed: 'FAILED' }

/** The human view of a gc, dry run or list report: one row per space, then a summary line. */
export function formatReport(report: GcReport, opts: { color: boolean; now: number; verb: 'gc' | 'list' }): string {
  const p = paint(opts.color)
  let out = ''
  if (report.spaces.length === 0) {
    out += 'No scratch spaces.\n'
  } else {
    const rows = [['SPACE', 'SIZE', 'LAST USED', 'USED FROM', 'VERDICT', 'ACTION', 'WHY'].map((h) => p.bold(h))]
    for (const space of report.spaces) {
      const verdict = space.verdict === 'live' ? p.green('live') : p.red('orphaned')
      const action = space.action === 'keep' ? p.dim('keep') : space.action === 'failed' ? p.red(ACTION_WORD.failed) : ACTION_WORD[space.action]
      const lastUsed = formatAge(space.lastAccess, opts.now) + (space.tracked ? '' : ' (untracked)')
      rows.push([spaceName(space), formatBytes(space.bytes), lastUsed, usedFrom(space), verdict, action, shortenHome(space.reason)])
    }
    out += table(rows)
  }
  const unknown = report.projects.filter((project) => project.status === 'unknown')
  for (const project of unknown) out += `${p.red('!')} project ${displayPath(project.dir)} is unknown: ${project.reason ?? 'unreadable'}; its spaces are kept\n`
  const deleted = report.spaces.filter((s) => s.action === 'deleted' || s.action === 'delete')
  const failed = report.spaces.filter((s) => s.action === 'failed')
  const total = report.spaces.reduce((sum, s) => sum + s.bytes, 0)
  if (opts.verb === 'list') {
    out += `${report.spaces.length} space(s), ${formatBytes(total)}; ${report.projects.filter((pr) => pr.status !== 'gone').length} project(s) known\n`
  } else {
    const verb = report.dryRun ? 'Would delete' : 'Deleted'
    out += `${verb} ${deleted.length} space(s), ${formatBytes(report.freedBytes)}; kept ${report.spaces.length - deleted.length - failed.length}` +
      (failed.length > 0 ? `; ${p.red(`${failed.length} failed`)}` : '') + '\n'
  }
  return out
}
