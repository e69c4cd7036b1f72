/**
 * The human view of `scratch list --by owner`: one row per owner, largest first, with a bar
 * proportional to its share of the store. The bar takes the width the other columns leave
 * (at most 40, at least 8; SPACES and STATUS go first on a narrow terminal, the bar last, so a
 * row never wraps); plain `#` without colour.
 */
import type { OwnersReport, OwnerUsage } from '../gc/owners'
import { formatBytes } from '../bytes'
import { paint, type Paint } from './format'
import { fitTable, plural, visibleLength } from './table'

const BAR_MAX = 40
const BAR_MIN = 8
const OWNER_MIN = 16
// A bar for a pipe (no known width).
const BAR_DEFAULT = 20

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

/** Columns: OWNER SIZE SHARE BAR SPACES STATUS; on a narrow terminal SPACES and STATUS go first, then the owner is shortened, then the bar goes. */
export function formatOwners(report: OwnersReport, opts: { color: boolean; columns?: number }): string {
  const p = paint(opts.color)
  if (report.owners.length === 0) return 'No scratch spaces.\n'
  const cells = report.owners.map((o) => [o.owner ?? '(global)', formatBytes(o.bytes), percent(o.share), plural(o.spaces.length, 'space'), statusCell(o, p)])
  const header = ['OWNER', 'SIZE', 'SHARE', 'SPACES', 'STATUS']
  const natural = header.map((h, i) => Math.max(h.length, ...cells.map((row) => visibleLength(row[i]))))
  // On a narrow terminal SPACES, then STATUS go when even with long owner names shortened (to
  // OWNER_MIN) the bar would be squeezed below BAR_MIN.
  let kept = [0, 1, 2, 3, 4]
  const rest = (owner: number): number => owner + kept.slice(1).reduce((sum, i) => sum + natural[i], 0) + 2 * kept.length
  const ownerFloor = Math.min(natural[0], OWNER_MIN)
  for (const drop of [3, 4]) if (opts.columns !== undefined && rest(ownerFloor) + BAR_MIN > opts.columns) kept = kept.filter((i) => i !== drop)
  const width = opts.columns === undefined ? BAR_DEFAULT : Math.min(BAR_MAX, Math.max(BAR_MIN, opts.columns - rest(natural[0])))
  const pick = (row: string[], barCell: string): string[] => [row[0], row[1], row[2], barCell, ...kept.filter((i) => i > 2).map((i) => row[i])]
  const rows = [
    pick(header.map((h) => p.bold(h)), ''),
    ...report.owners.map((o, i) => pick(cells[i], bar(o.share, width, p, opts.color, o.orphaned < o.spaces.length))),
  ]
  // What still does not fit: the owner names are shortened, and at the very last the bar goes.
  const policy = [{ min: 8 }, { min: 4 }, { min: 4 }, { min: width, droppable: true }, { min: 6 }, { min: 6 }]
  return fitTable(rows, opts.columns, policy, [0, 3]) +
    `${plural(report.owners.length, 'owner')}, ${formatBytes(report.totalBytes)} in total\n`
}
