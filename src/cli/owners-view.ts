/**
 * The human view of `scratch list --by owner`: one row per owner, largest first, with a bar
 * proportional to its share of the store. The bar takes the width the other columns leave
 * (at most 40, at least 8; dropped before a row would wrap); plain `#` without colour.
 */
import type { OwnersReport, OwnerUsage } from '../gc/owners'
import { formatBytes, paint, type Paint } from './format'
import { fitTable, plural } from './table'

const BAR_MAX = 40
const BAR_MIN = 8
// A bar for a pipe (no known width).
const BAR_DEFAULT = 20
const GAPS = 5 * 2

/** A bar of `width` cells, `share` of it filled (at least one cell for any non-zero share). */
export function bar(share: number, width: number, p: Paint, color: boolean, live: boolean): string {
  const filled = share <= 0 ? 0 : Math.max(1, Math.round(share * width))
  if (!color) return '#'.repeat(filled) + '.'.repeat(width - filled)
  const full = '█'.repeat(filled)
  return (live ? p.green(full) : p.red(full)) + p.dim('░'.repeat(width - filled))
}

function statusCell(owner: OwnerUsage, p: Paint): string {
  if (owner.orphaned === 0) return p.green('live')
  if (owner.live === 0) return p.red('orphaned')
  return `${owner.live} live, ${p.red(`${owner.orphaned} orphaned`)}`
}

function percent(share: number): string {
  if (share > 0 && share < 0.01) return '<1%'
  return `${Math.round(share * 100)}%`
}

/** Columns: OWNER SIZE SHARE BAR SPACES STATUS; on a narrow terminal the owner is shortened first, then SPACES, STATUS and the bar go. */
export function formatOwners(report: OwnersReport, opts: { color: boolean; columns?: number }): string {
  const p = paint(opts.color)
  if (report.owners.length === 0) return 'No scratch spaces.\n'
  const cells = report.owners.map((o) => [o.owner ?? '(global)', formatBytes(o.bytes), percent(o.share), plural(o.spaces.length, 'space'), statusCell(o, p)])
  const header = ['OWNER', 'SIZE', 'SHARE', 'SPACES', 'STATUS']
  const natural = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].replace(/\u001b\[\d+m/g, '').length)))
  const rest = natural.reduce((sum, w) => sum + w, 0) + GAPS
  const width = opts.columns === undefined ? BAR_DEFAULT : Math.min(BAR_MAX, Math.max(BAR_MIN, opts.columns - rest))
  const rows = [
    ['OWNER', 'SIZE', 'SHARE', '', 'SPACES', 'STATUS'].map((h) => (h === '' ? h : p.bold(h))),
    ...report.owners.map((o, i) => [cells[i][0], cells[i][1], cells[i][2], bar(o.share, width, p, opts.color, o.orphaned < o.spaces.length), cells[i][3], cells[i][4]]),
  ]
  const policy = [{ min: 8 }, { min: 4 }, { min: 4 }, { min: width, droppable: true }, { min: 6, droppable: true }, { min: 6, droppable: true }]
  return fitTable(rows, opts.columns, policy, [0, 5, 4, 3]) +
    `${plural(report.owners.length, 'owner')}, ${formatBytes(report.totalBytes)} in total\n`
}
