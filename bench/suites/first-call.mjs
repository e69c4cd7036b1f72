// The first getScratch in a fresh process (owner + project detection, access record, mkdir),
// timed inside each child around the call alone; a new key per process, so the mkdir happens.
// In the same rounds: the floor (the same fs calls by hand), find-cache-dir's first call, and
// import + first call from ESM for both.
import fs from 'node:fs'
import path from 'node:path'
import { childEnv, runNode } from '../lib/child.mjs'
import { comparison, metric } from '../lib/report.mjs'
import { formatValue, summarize } from '../lib/stats.mjs'

const REPO = path.resolve(import.meta.dirname, '..', '..')

export async function firstCallSuite({ dist, fixture, quick }) {
  const copy = (name) => {
    const target = path.join(fixture.moduleDir, name)
    fs.copyFileSync(path.join(import.meta.dirname, '..', 'children', name), target)
    return target
  }
  const script = copy('first-call.cjs')
  const floorScript = copy('first-call-floor.cjs')
  const esmScript = copy('first-call-esm.mjs')
  const fcdScript = path.join(import.meta.dirname, '..', 'children', 'first-call-fcd.mjs')
  const env = childEnv({ SCRATCHSPACE_DIR: fixture.store })
  const processes = quick ? 7 : 21
  // One warm-up process first: it creates the store root and CACHEDIR.TAG, which happen once per machine.
  await runNode(script, [dist, 'first-warmup'], { env, cwd: fixture.projectDir })
  await runNode(fcdScript, [fixture.projectDir, 'fcd-warmup'], { env, cwd: REPO })
  const samples = []
  const floor = []
  const fcd = []
  const esm = []
  for (let i = 0; i < processes; i++) {
    const out = await runNode(script, [dist, `first-${i}`], { env, cwd: fixture.projectDir })
    if (!fs.existsSync(out.dir)) throw new Error(`first-call child did not create ${out.dir}`)
    samples.push(out.firstCallUs / 1000)
    floor.push((await runNode(floorScript, [fixture.store, `floor-${i}`], { env, cwd: fixture.projectDir })).firstCallUs / 1000)
    // find-cache-dir resolves from the repository's node_modules; it is given the project as cwd.
    const theirs = await runNode(fcdScript, [fixture.projectDir, `fcd-${i}`], { env, cwd: REPO })
    if (!fs.existsSync(theirs.dir)) throw new Error(`find-cache-dir did not create ${theirs.dir}`)
    fcd.push(theirs)
    const ours = await runNode(esmScript, [dist, `esm-${i}`], { env, cwd: fixture.projectDir })
    if (!fs.existsSync(ours.dir)) throw new Error(`ESM first-call child did not create ${ours.dir}`)
    esm.push(ours)
  }
  const stats = summarize(samples)
  const floorStats = summarize(floor)
  const fcdFirst = summarize(fcd.map((out) => out.firstCallUs / 1000))
  const esmTotal = summarize(esm.map((out) => (out.importUs + out.firstCallUs) / 1000))
  const fcdTotal = summarize(fcd.map((out) => (out.importUs + out.firstCallUs) / 1000))
  return [
    metric({
      id: 'first-getScratch', name: 'first getScratch in a fresh process', unit: 'ms', stats,
      target: { max: Math.min(fcdFirst.median, 1.5 * floorStats.median), text: '≤ find-cache-dir, ≤ 1.5× floor' },
      comparisons: [
        comparison({
          name: 'the same fs calls written out, no package code (floor)', unit: 'ms', stats: floorStats, ours: stats.median,
          ratioText: `ours is ${formatValue(stats.median / floorStats.median, 'x')} the floor`,
        }),
        comparison({ name: 'find-cache-dir {name, create: true}, first call', unit: 'ms', stats: fcdFirst, ours: stats.median }),
      ],
      notes: ['owner by __dirname inside node_modules/.pnpm/…, project found from the install root, new key per process (record + mkdir); find-cache-dir with a new name per process (mkdir)'],
    }),
    metric({
      id: 'import-first-getScratch', name: 'import + first getScratch (ESM, import.meta) in a fresh process', unit: 'ms', stats: esmTotal,
      target: { max: fcdTotal.median / 3, text: '≥ 3× faster than find-cache-dir' },
      comparisons: [comparison({ name: 'import find-cache-dir + its first call', unit: 'ms', stats: fcdTotal, ours: esmTotal.median })],
      notes: ['time from before import() to after the first call, in the same rounds as the row above'],
    }),
  ]
}
