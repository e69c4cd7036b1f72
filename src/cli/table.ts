/**
 * Tables that fit the terminal: left-aligned columns two spaces apart, every row one line. When
 * the natural width exceeds `width`, the columns marked shrinkable are shortened (long cells end
 * in `…`, paths keep their end), in the order given; if that is not enough, the columns marked
 * droppable go, in the order given. A row is never wrapped.
 */

/** How one column may give way. */
export interface ColumnPolicy {
  /** Narrowest the column may be shortened to (at least the header's width is kept when possible). */
  min?: number
  /** Shortening keeps the end of the cell (`…/app`), for paths. */
  keepEnd?: boolean
  /** May be left out entirely when even the shortened table is too wide. */
  droppable?: boolean
}

const GAP = 2

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[\d+m/g

function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length
}

/** `text` cut to `width` visible characters, with `…` where it was cut; colour codes are dropped when cutting. */
function shorten(text: string, width: number, keepEnd = false): string {
  if (visibleLength(text) <= width) return text
  const plain = [...text.replace(ANSI, '')]
  if (width <= 1) return '…'.slice(0, width)
  return keepEnd ? `…${plain.slice(plain.length - width + 1).join('')}` : `${plain.slice(0, width - 1).join('')}…`
}

/**
 * Renders `rows` (the first is the header) within `width` columns (undefined: no limit).
 * `policy[i]` says how column i may give way; `order` lists columns to shrink first.
 */
export function fitTable(rows: string[][], width: number | undefined, policy: ColumnPolicy[] = [], order: number[] = []): string {
  if (rows.length === 0) return ''
  let columns = rows[0].map((_, i) => i)
  const natural = columns.map((i) => Math.max(...rows.map((row) => visibleLength(row[i] ?? ''))))
  const widths = [...natural]
  const total = (): number => columns.reduce((sum, i) => sum + widths[i], 0) + GAP * (columns.length - 1)
  if (width !== undefined && width > 0) {
    for (const i of order) {
      const over = total() - width
      if (over <= 0) break
      const floor = Math.min(natural[i], policy[i]?.min ?? Math.max(4, visibleLength(rows[0][i] ?? '')))
      widths[i] = Math.max(floor, widths[i] - over)
    }
    for (const i of order.filter((c) => policy[c]?.droppable === true)) {
      if (total() <= width) break
      columns = columns.filter((c) => c !== i)
    }
    // Whatever is still too wide comes off the last column.
    const last = columns[columns.length - 1]
    if (total() > width) widths[last] = Math.max(1, widths[last] - (total() - width))
  }
  return rows.map((row) => columns.map((i, n) => {
    const cell = shorten(row[i] ?? '', widths[i], policy[i]?.keepEnd)
    return n === columns.length - 1 ? cell : cell + ' '.repeat(widths[i] - visibleLength(cell))
  }).join(' '.repeat(GAP)).trimEnd()).join('\n') + '\n'
}

/** `1 space`, `2 spaces`: counts in words. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`
}
