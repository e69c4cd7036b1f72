// Loading the yarn plugin `scratch init` writes: yarn loads every plugin on every command
// (`yarn run`, `yarn --version`…), so this is paid even where nothing is installed. The file is
// composed by a real `scratch init` in a yarn berry project; each sample is a fresh `node`.
import fs from 'node:fs'
import path from 'node:path'
import { childEnv, run, runNode } from '../lib/child.mjs'
import { comparison, metric } from '../lib/report.mjs'
import { formatValue, summarize } from '../lib/stats.mjs'

const CHILD = path.join(import.meta.dirname, '..', 'children', 'yarn-plugin-load.cjs')

export async function yarnPluginSuite({ dist, work, quick, log }) {
  const reps = quick ? 5 : 21
  const project = path.join(work, 'yarn-project')
  fs.mkdirSync(project, { recursive: true })
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'app', packageManager: 'yarn@4.18.1' }))
  await run(process.execPath, [path.join(dist, 'cli.cjs'), 'init'], { cwd: project, env: childEnv({ SCRATCHSPACE_DIR: path.join(work, 'yarn-store') }) })
  const plugin = path.join(project, '.yarn', 'plugins', 'pnpm-plugin-scratch.cjs')
  // The floor: a plugin with no code at all.
  const empty = path.join(work, 'empty-plugin.cjs')
  fs.writeFileSync(empty, 'module.exports = { name: "empty", factory: () => ({ hooks: {} }) }\n')
  const ours = []
  const floor = []
  for (let i = 0; i < reps; i++) {
    const out = await runNode(CHILD, [plugin])
    if (out?.hooks?.[0] !== 'afterAllInstalled') throw new Error(`the composed plugin did not load: ${JSON.stringify(out)}`)
    ours.push(out.loadMs)
    floor.push((await runNode(CHILD, [empty])).loadMs)
  }
  const stats = summarize(ours)
  const size = fs.statSync(plugin).size
  log(`  yarn plugin load: ${formatValue(stats.median, 'ms')} (${Math.round(size / 1024)} KiB file)`)
  return [metric({
    id: 'yarn-plugin-load', name: 'loading the yarn plugin (require + factory, CPU)', unit: 'ms', stats,
    target: { max: 5, text: '≤ 5 ms' },
    comparisons: [comparison({ name: 'a plugin with no code (floor)', unit: 'ms', stats: summarize(floor), ours: stats.median })],
    notes: [`the ${Math.round(size / 1024)} KiB file scratch init composes; its bundles are string literals, compiled when the hook first runs`],
  })]
}
