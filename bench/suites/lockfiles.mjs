// Each lockfile format read from a real public lockfile (test/fixtures/lockfiles/corpus), ours
// against the format's official parser, in the same run, per MB of lockfile. Both sides run in
// their own process, timed in-process after loading and three warm-up reads; ours includes the
// consistency checks and name extraction, the official side only parses. Target: the berry
// reader within 1.5× of @yarnpkg/parsers' parseSyml.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { runNode } from '../lib/child.mjs'
import { comparison, metric } from '../lib/report.mjs'
import { formatValue, summarize } from '../lib/stats.mjs'

const CHILDREN = path.join(import.meta.dirname, '..', 'children')
const REPO = path.resolve(import.meta.dirname, '..', '..')
const CORPUS = path.join(REPO, 'test', 'fixtures', 'lockfiles', 'corpus')

const ROWS = [
  { format: 'pnpm-v9', dir: 'pnpm', file: 'pnpm-lock.yaml', official: '@pnpm/lockfile.fs' },
  { format: 'pnpm-v6', dir: 'vite-2023', file: 'pnpm-lock.yaml', official: 'yaml' },
  { format: 'berry', dir: 'babel', file: 'yarn.lock', official: '@yarnpkg/parsers parseSyml', targetRatio: 1.5 },
  { format: 'yarn1', dir: 'webpack', file: 'yarn.lock', official: '@yarnpkg/lockfile' },
  { format: 'npm', dir: 'npm-cli', file: 'package-lock.json', official: 'JSON.parse' },
  { format: 'bun', dir: 'elysia', file: 'bun.lock', official: 'yaml (JSONC)' },
  { format: 'deno', dir: 'fresh', file: 'deno.lock', official: 'JSON.parse' },
]

async function bundleReader(work) {
  const outfile = path.join(work, 'lockfile-reader.cjs')
  const { build } = await import('esbuild')
  // The repository's one esbuild configuration (scripts/esbuild-options.cjs), YAML bundled in.
  const { common } = (await import('../../scripts/esbuild-options.cjs')).default
  await build({
    ...common,
    stdin: { contents: "export { readLockfile } from './src/lockfiles'", resolveDir: REPO, loader: 'ts' },
    outfile, format: 'cjs', logLevel: 'silent',
  })
  return outfile
}

export async function lockfilesSuite({ work, quick, log }) {
  const reps = quick ? 3 : 15
  const reader = await bundleReader(work)
  const metrics = []
  for (const row of ROWS) {
    const dir = path.join(work, 'lockfiles', row.dir)
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, row.file)
    fs.writeFileSync(file, zlib.gunzipSync(fs.readFileSync(path.join(CORPUS, row.dir, `${row.file}.gz`))))
    const mb = fs.statSync(file).size / 2 ** 20
    const run = async (mode) => (await runNode(path.join(CHILDREN, 'lockfile-parse.cjs'), [mode, row.format, file, String(reps), reader], { cwd: REPO })).samples.map((ms) => ms / mb)
    const ours = summarize(await run('ours'))
    const theirs = summarize(await run('official'))
    log(`  ${row.format} (${row.dir}, ${mb.toFixed(2)} MB): ours ${formatValue(ours.median, 'ms/MB')}, ${row.official} ${formatValue(theirs.median, 'ms/MB')}`)
    const target = row.targetRatio === undefined ? null : { max: row.targetRatio * theirs.median, text: `≤ ${row.targetRatio}× ${row.official}` }
    metrics.push(metric({
      id: `lockfile-${row.format}`,
      name: `read ${row.format} lockfile (${row.dir}, ${mb.toFixed(2)} MB)`,
      unit: 'ms/MB',
      stats: ours,
      target,
      comparisons: [comparison({ name: row.official, unit: 'ms/MB', stats: theirs, ours: ours.median })],
    }))
  }
  return metrics
}
