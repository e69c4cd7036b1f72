// The results: one table for people (stdout, BENCHMARKS.md) and the same data as JSON.
import { formatValue } from './stats.mjs'

/**
 * A metric row. `target` is `{ max, text }` (met when the median is ≤ max) or null;
 * comparisons are rows measured in the same run, each with a ratio and how to read it.
 */
export function metric({ id, name, unit, stats, target = null, comparisons = [], notes = [], extra }) {
  const met = target === null ? null : stats.median <= target.max
  return { id, name, unit, ...stats, target, met, comparisons, notes, ...(extra !== undefined && { extra }) }
}

/** A comparison row: `ratio` is theirs ÷ ours unless `ratioText` says otherwise. */
export function comparison({ name, unit, stats, ours, ratio, ratioText }) {
  const r = ratio ?? stats.median / ours
  return { name, unit, ...stats, ratio: r, ratioText: ratioText ?? `${formatValue(r, 'x')} ours` }
}

function pad(text, width) {
  return text.length >= width ? text : text + ' '.repeat(width - text.length)
}

/** Rows of plain text, aligned, with comparisons indented under their metric. */
export function renderTable(metrics) {
  const rows = [['metric', 'median', 'min … max', 'n', 'target', 'status / ratio']]
  for (const m of metrics) {
    const status = m.met === null ? '' : m.met ? 'MET' : `NOT MET (${formatValue(m.median / m.target.max, 'x')} the target)`
    rows.push([m.name, formatValue(m.median, m.unit), `${formatValue(m.min, m.unit)} … ${formatValue(m.max, m.unit)}`, String(m.n), m.target?.text ?? '', status])
    for (const c of m.comparisons) {
      rows.push([`  vs ${c.name}`, formatValue(c.median, c.unit), c.n > 0 ? `${formatValue(c.min, c.unit)} … ${formatValue(c.max, c.unit)}` : '', c.n > 0 ? String(c.n) : '', '', c.ratioText])
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)))
  return rows.map((row) => row.map((cell, i) => pad(cell, widths[i])).join('  ').trimEnd()).join('\n')
}

/** The same table as Markdown (for BENCHMARKS.md). */
export function renderMarkdown(metrics) {
  const lines = ['| metric | median | min … max | n | target | status / ratio |', '|---|---|---|---|---|---|']
  const esc = (text) => text.replace(/\|/g, '\\|')
  for (const m of metrics) {
    const status = m.met === null ? '' : m.met ? '**met**' : `**not met** (${formatValue(m.median / m.target.max, 'x')} the target)`
    lines.push(`| ${esc(m.name)} | ${formatValue(m.median, m.unit)} | ${formatValue(m.min, m.unit)} … ${formatValue(m.max, m.unit)} | ${m.n} | ${m.target?.text ?? ''} | ${status} |`)
    for (const c of m.comparisons) {
      lines.push(`| ↳ vs ${esc(c.name)} | ${formatValue(c.median, c.unit)} | ${c.n > 0 ? `${formatValue(c.min, c.unit)} … ${formatValue(c.max, c.unit)}` : ''} | ${c.n > 0 ? c.n : ''} | | ${esc(c.ratioText)} |`)
    }
  }
  return lines.join('\n')
}
