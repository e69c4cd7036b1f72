// The first getScratch in a fresh process (owner + project detection, access record, mkdir),
// timed inside each child around the call alone; a new key per process, so the mkdir happens.
import fs from 'node:fs'
import path from 'node:path'
import { childEnv, runNode } from '../lib/child.mjs'
import { comparison, metric } from '../lib/report.mjs'
import { formatValue, summarize } from '../lib/stats.mjs'

export async function firstCallSuite({ dist, fixture, quick }) {
  const script = path.join(fixture.moduleDir, 'first-call.cjs')
  const floorScript = path.join(fixture.moduleDir, 'first-call-floor.cjs')
  fs.copyFileSync(path.join(import.meta.dirname, '..', 'children', 'first-call.cjs'), script)
  fs.copyFileSync(path.join(import.meta.dirname, '..', 'children', 'first-call-floor.cjs'), floorScript)
  const env = childEnv({ SCRATCHSPACE_DIR: fixture.store })
  const processes = quick ? 7 : 21
  // One warm-up process first: it creates the store root and CACHEDIR.TAG, which happen once per machine.
  await runNode(script, [dist, 'first-warmup'], { env, cwd: fixture.projectDir })
  const samples = []
  const floor = []
  for (let i = 0; i < processes; i++) {
    const out = await runNode(script, [dist, `first-${i}`], { env, cwd: fixture.projectDir })
    if (!fs.existsSync(out.dir)) throw new Error(`first-call child did not create ${out.dir}`)
    samples.push(out.firstCallUs / 1000)
    floor.push((await runNode(floorScript, [fixture.store, `floor-${i}`], { env, cwd: fixture.projectDir })).firstCallUs / 1000)
  }
  const stats = summarize(samples)
  const floorStats = summarize(floor)
  return [metric({
    id: 'first-getScratch', name: 'first getScratch in a fresh process', unit: 'ms', stats,
    target: { max: 0.3, text: '≤ 300 µs' },
    comparisons: [comparison({
      name: 'the same fs calls written out, no package code (floor)', unit: 'ms', stats: floorStats, ours: stats.median,
      ratioText: `ours is ${formatValue(stats.median / floorStats.median, 'x')} the floor`,
    })],
    notes: ['owner by __dirname inside node_modules/.pnpm/…, project found from the install root, new key per process (record + mkdir)'],
  })]
}
