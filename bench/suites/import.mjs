// What importing the runtime entry costs a library: time around require()/import() in a fresh
// process, and peak RSS over a bare process of the same module type; env-paths as the yardstick.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { run } from '../lib/child.mjs'
import { comparison, metric } from '../lib/report.mjs'
import { formatValue, summarize } from '../lib/stats.mjs'

const CHILDREN = path.join(import.meta.dirname, '..', 'children')

export async function importSuite({ dist, work, quick }) {
  // Loading anything costs the module system something (resolving, reading, and for ESM the
  // loader's first dynamic import): an empty module of each kind is the baseline times are taken over.
  const emptyCjs = path.join(work, 'empty.cjs')
  const emptyEsm = path.join(work, 'empty.mjs')
  fs.writeFileSync(emptyCjs, '')
  fs.writeFileSync(emptyEsm, '')
  const variants = {
    bareCjs: ['import.cjs', '-'],
    emptyCjs: ['import.cjs', emptyCjs],
    requireIndex: ['import.cjs', path.join(dist, 'index.cjs')],
    bareEsm: ['import.mjs', '-'],
    emptyEsm: ['import.mjs', pathToFileURL(emptyEsm).href],
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
  // Each sample minus the baseline's median (pairing samples would let a baseline outlier make a negative).
  const delta = (name, base, field) => summarize(samples[name][field].map((v) => v - s(base, field).median))
  const cjsTime = delta('requireIndex', 'emptyCjs', 'loadMs')
  const esmTime = delta('importIndex', 'emptyEsm', 'loadMs')
  const envTime = delta('importEnvPaths', 'emptyEsm', 'loadMs')
  const cjsRss = delta('requireIndex', 'bareCjs', 'rssMb')
  const esmRss = delta('importIndex', 'bareEsm', 'rssMb')
  const envRss = delta('importEnvPaths', 'bareEsm', 'rssMb')
  const raw = (name, base, empty) => `raw ${formatValue(s(name, 'loadMs').median, 'ms')} around the call, empty module ${formatValue(s(empty, 'loadMs').median, 'ms')}`
  return [
    metric({
      id: 'import-time-cjs', name: 'require("pnpm-plugin-scratch"), time over an empty module', unit: 'ms', stats: cjsTime,
      target: { max: 3, text: '≤ 3 ms' },
      comparisons: [comparison({ name: 'import("env-paths") over an empty ESM module', unit: 'ms', stats: envTime, ours: cjsTime.median })],
      notes: [raw('requireIndex', 'bareCjs', 'emptyCjs')],
    }),
    metric({
      id: 'import-time-esm', name: 'import "pnpm-plugin-scratch", time over an empty module', unit: 'ms', stats: esmTime,
      target: { max: 3, text: '≤ 3 ms' },
      comparisons: [comparison({ name: 'import("env-paths") over an empty ESM module', unit: 'ms', stats: envTime, ours: esmTime.median })],
      notes: [raw('importIndex', 'bareEsm', 'emptyEsm')],
    }),
    metric({
      id: 'import-rss-cjs', name: 'require, peak RSS over bare node', unit: 'MB', stats: cjsRss,
      target: { max: 2, text: '≤ 2 MB' },
      comparisons: [comparison({ name: 'import("env-paths"), over bare ESM node', unit: 'MB', stats: envRss, ours: cjsRss.median, ratioText: '' })],
    }),
    metric({
      id: 'import-rss-esm', name: 'import, peak RSS over bare node', unit: 'MB', stats: esmRss,
      target: { max: 2, text: '≤ 2 MB' },
      comparisons: [comparison({ name: 'import("env-paths"), over bare ESM node', unit: 'MB', stats: envRss, ours: esmRss.median, ratioText: '' })],
    }),
  ]
}
