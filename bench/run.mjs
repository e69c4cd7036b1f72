// `npm run bench`: measures the built package (dist/) against the anchors named in
// BENCHMARKS.md, in one run, on inputs generated here from a seeded PRNG. Prints a table and
// writes the same as JSON to bench/results/latest.json.
//
//   node bench/run.mjs [--quick] [--only=warm,first,upkeep,import,gc,clear,hook,lockfiles,yarn] [--keep] [--seed=S] [--update-doc]
//
// --quick: small sizes and few repetitions, to check the harness (numbers not comparable).
// --keep: leave the generated projects and stores in the temp dir (printed) for profiling.
// --update-doc: also rewrite the measured section of BENCHMARKS.md (between its markers).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createOwnerFixture } from './lib/owner-fixture.mjs'
import { createWorld } from './lib/world.mjs'
import { renderMarkdown, renderTable } from './lib/report.mjs'
import { firstCallSuite } from './suites/first-call.mjs'
import { clearSuite } from './suites/clear.mjs'
import { gcSuite } from './suites/gc.mjs'
import { hookSuite } from './suites/hook.mjs'
import { importSuite } from './suites/import.mjs'
import { lockfilesSuite } from './suites/lockfiles.mjs'
import { upkeepSuite } from './suites/upkeep.mjs'
import { warmSuite } from './suites/warm.mjs'
import { yarnPluginSuite } from './suites/yarn-plugin.mjs'

const repo = path.resolve(import.meta.dirname, '..')
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
    seed: { type: 'string', default: 'scratch-bench-1' },
    out: { type: 'string', default: path.join(repo, 'bench', 'results', 'latest.json') },
    'update-doc': { type: 'boolean', default: false },
  },
})
const SUITES = ['warm', 'first', 'upkeep', 'import', 'gc', 'clear', 'hook', 'lockfiles', 'yarn']
const only = new Set(args.only === undefined ? SUITES : args.only.split(',').map((s) => s.trim()))
for (const name of only) if (!SUITES.includes(name)) throw new Error(`unknown suite ${name}; known: ${SUITES.join(', ')}`)

function log(message) {
  process.stderr.write(`[bench ${((performance.now()) / 1000).toFixed(1).padStart(5)} s] ${message}\n`)
}

/**
 * A private copy of dist/: other work in the repository may rebuild (and first delete) dist/
 * while the benchmark runs. Retries while a concurrent build has it half-written.
 */
function snapshotDist(work) {
  const required = ['index.cjs', 'index.mjs', 'gc.cjs', 'pnpm-hook.cjs']
  const source = path.join(repo, 'dist')
  const target = path.join(work, 'dist')
  for (let attempt = 0; ; attempt++) {
    try {
      fs.rmSync(target, { recursive: true, force: true })
      fs.cpSync(source, target, { recursive: true })
      if (required.every((file) => fs.existsSync(path.join(target, file)))) return target
    } catch (err) {
      if (attempt >= 20) throw err
    }
    if (attempt >= 20) throw new Error(`dist/ is incomplete (need ${required.join(', ')}); run npm run build`)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500)
  }
}

function machine() {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : ''
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown'
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${os.release()}`,
    tmpdir: os.tmpdir(),
    loadAverageAtStart: os.loadavg()[0],
  }
}

const started = Date.now()
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-bench-'))
const results = { date: new Date().toISOString(), seed: args.seed, quick: args.quick, machine: machine(), metrics: [], info: {} }
try {
  const dist = snapshotDist(work)
  log(`work dir ${work}${args.keep ? ' (kept)' : ''}`)
  const fixture = createOwnerFixture(work)
  const world = createWorld({ seed: args.seed, work, quick: args.quick })
  const ctx = { dist, work, fixture, world, quick: args.quick, seed: args.seed, log, info: results.info }
  const suites = [
    ['warm', warmSuite], ['first', firstCallSuite], ['upkeep', upkeepSuite], ['import', importSuite], ['gc', gcSuite], ['clear', clearSuite], ['hook', hookSuite], ['lockfiles', lockfilesSuite], ['yarn', yarnPluginSuite],
  ]
  for (const [name, suite] of suites) {
    if (!only.has(name)) continue
    log(`${name} …`)
    const t = performance.now()
    results.metrics.push(...await suite(ctx))
    log(`${name} done in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  }
} finally {
  if (!args.keep) fs.rmSync(work, { recursive: true, force: true })
}
results.durationS = Math.round((Date.now() - started) / 100) / 10
results.machine.loadAverageAtEnd = os.loadavg()[0]

const m = results.machine
console.log(`\npnpm-plugin-scratch benchmarks — ${m.cpu}, ${m.nproc} cores, node ${m.node}, load average ${m.loadAverageAtStart.toFixed(1)} → ${m.loadAverageAtEnd.toFixed(1)}${args.quick ? ' (QUICK: not comparable)' : ''}\n`)
console.log(renderTable(results.metrics))
for (const metric of results.metrics) for (const note of metric.notes) console.log(`  · ${metric.name}: ${note}`)
fs.mkdirSync(path.dirname(args.out), { recursive: true })
results.markdown = renderMarkdown(results.metrics)
fs.writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`)
console.log(`\n${results.metrics.length} metrics in ${results.durationS} s; JSON written to ${path.relative(process.cwd(), args.out) || args.out}`)

if (args['update-doc']) {
  const doc = path.join(repo, 'BENCHMARKS.md')
  const [start, end] = ['<!-- bench:results:start -->', '<!-- bench:results:end -->']
  const text = fs.readFileSync(doc, 'utf8')
  if (!text.includes(start) || !text.includes(end)) throw new Error(`${doc} lacks the ${start} / ${end} markers`)
  const notes = results.metrics.flatMap((metric) => metric.notes.map((note) => `- ${metric.name}: ${note}`))
  const section = [
    start,
    `Measured ${results.date.slice(0, 10)} on ${m.cpu}, \`nproc\` ${m.nproc}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}` +
      `${args.quick ? ' (QUICK run: not comparable)' : ''}; the whole run took ${results.durationS} s; ` +
      `1-minute load average ${m.loadAverageAtStart.toFixed(1)} at the start, ${m.loadAverageAtEnd.toFixed(1)} at the end ` +
      `(other work was running: ${m.loadAverageAtStart > 0.5 * m.nproc ? 'yes' : 'little or none'}).`,
    '',
    results.markdown,
    '',
    ...notes,
    end,
  ].join('\n')
  fs.writeFileSync(doc, text.slice(0, text.indexOf(start)) + section + text.slice(text.indexOf(end) + end.length))
  console.log(`BENCHMARKS.md updated`)
}
