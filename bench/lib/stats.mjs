// Summaries and units shared by every suite.

/** `{ n, median, min, max, samples }` of a list of numbers (samples kept in run order). */
export function summarize(samples) {
  if (samples.length === 0) return { n: 0, median: NaN, min: NaN, max: NaN, samples: [] }
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return { n: samples.length, median, min: sorted[0], max: sorted[sorted.length - 1], samples: samples.map(round) }
}

function round(value) {
  return Math.round(value * 1000) / 1000
}

/** Milliseconds since `start` (a `process.hrtime.bigint()`). */
export function msSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e6
}

/** A value in `unit` (`ms`, `us`, `MB`, `%`, `x`, `ms/MB`, `us/space`) for people. */
export function formatValue(value, unit) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—'
  if (unit === 'ms') {
    if (value >= 1000) return `${(value / 1000).toFixed(2)} s`
    if (value >= 100) return `${value.toFixed(0)} ms`
    if (value >= 10) return `${value.toFixed(1)} ms`
    if (value >= 1) return `${value.toFixed(2)} ms`
    return `${(value * 1000).toFixed(0)} µs`
  }
  if (unit === 'us') return value >= 100 ? `${value.toFixed(0)} µs` : value >= 10 ? `${value.toFixed(1)} µs` : `${value.toFixed(2)} µs`
  if (unit === 'MB') return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} MB`
  if (unit === '%') return `${value.toFixed(1)} %`
  if (unit === 'x') return `${value.toFixed(value >= 10 ? 1 : 2)}×`
  return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${unit}`
}
