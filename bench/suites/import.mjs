// What importing the runtime entry costs a library: time around require()/import() in a fresh
// process, and peak RSS over a bare process of the same module type; env-paths as the yardstick.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { run } from '../lib/child.mjs'
import { comparison, metric } from '../lib/report.mjs'
import { summarize } from '../lib/stats.mjs'

const CHILDREN = path.join(import.meta.dirname, '..', 'children')

export async function importSuite({ dist, quick }) {
  const variants = {
    bareCjs: ['import.cjs', '-'],
    requireIndex: ['import.cjs', path.join(dist, 'index.cjs')],
    bareEsm: ['import.mjs', '-'],
    importIndex: ['import.mjs', pathToFileURL(path.join(dist, 'index.mjs')).href],
    importEnvPaths: ['import.mjs', 'env-paths'],
  }
  const rounds = quick ? 7 : 21
  const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, { loadMs: [], rssMb: [], wallMs: [] }]))
  for (let round = 0; round < rounds + 1; round++) {
    for (const [name, [script, target]] of Object.entries(variants)) {
      const { stdout, ms } = await run(process.execPath, [path.join(CHILDREN, script), target])
      if (round === 0) continue // the first round warms the page cache
      const out = JSON.parse(stdout.trim().split('\n').pop())
      samples[name].loadMs.push(out.loadUs / 1000)
      samples[name].rssMb.push(out.maxRssKb / 1024)
      samples[name].wallMs.push(ms)
    }
  }
  const s = (name, field) => summarize(samples[name][field])
  const delta = (name, base, field) => summarize(samples[name][field].map((v, i) => v - samples[base][field][i]))
  const cjsRss = delta('requireIndex', 'bareCjs', 'rssMb')
  const esmRss = delta('importIndex', 'bareEsm', 'rssMb')
  const envRss = delta('importEnvPaths', 'bareEsm', 'rssMb')
  const wallNote = (name, base) => `whole-process wall time over bare node: ${delta(name, base, 'wallMs').median.toFixed(2)} ms (median, noisy)`
  return [
    metric({
      id: 'import-time-cjs', name: 'require("pnpm-plugin-scratch") (CJS), time', unit: 'ms', stats: s('requireIndex', 'loadMs'),
      target: { max: 3, text: '≤ 3 ms' },
      comparisons: [comparison({ name: 'import("env-paths") (ESM)', unit: 'ms', stats: s('importEnvPaths', 'loadMs'), ours: s('requireIndex', 'loadMs').median })],
      notes: [wallNote('requireIndex', 'bareCjs')],
    }),
    metric({
      id: 'import-time-esm', name: 'import "pnpm-plugin-scratch" (ESM), time', unit: 'ms', stats: s('importIndex', 'loadMs'),
      target: { max: 3, text: '≤ 3 ms' },
      comparisons: [comparison({ name: 'import("env-paths") (ESM)', unit: 'ms', stats: s('importEnvPaths', 'loadMs'), ours: s('importIndex', 'loadMs').median })],
      notes: [wallNote('importIndex', 'bareEsm')],
    }),
    metric({
      id: 'import-rss-cjs', name: 'require (CJS), peak RSS over bare node', unit: 'MB', stats: cjsRss,
      target: { max: 2, text: '≤ 2 MB' },
      comparisons: [comparison({ name: 'import("env-paths"), RSS over bare ESM node', unit: 'MB', stats: envRss, ours: cjsRss.median, ratioText: '' })],
    }),
    metric({ id: 'import-rss-esm', name: 'import (ESM), peak RSS over bare node', unit: 'MB', stats: esmRss, target: { max: 2, text: '≤ 2 MB' } }),
  ]
}
