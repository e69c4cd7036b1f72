// Warm getScratch: the space exists and this process already recorded its use, so a call is owner
// lookup (cached), root, one existence check. Compared with find-cache-dir and env-paths.
import path from 'node:path'
import { childEnv, runNode } from '../lib/child.mjs'
import { comparison, metric } from '../lib/report.mjs'
import { formatValue, summarize } from '../lib/stats.mjs'

const CHILD = path.join(import.meta.dirname, '..', 'children', 'warm.mjs')

export async function warmSuite({ dist, fixture, quick }) {
  const batches = quick ? 3 : 7
  const calls = quick ? 20_000 : 100_000
  const out = await runNode(CHILD, [dist, fixture.moduleDir, fixture.projectDir, String(batches), String(calls)], {
    env: childEnv({ SCRATCHSPACE_DIR: fixture.store }),
  })
  const s = Object.fromEntries(Object.entries(out.perCallUs).map(([name, samples]) => [name, summarize(samples)]))
  const target = { max: 2, text: '≤ 2 µs' }
  const compare = (ours) => [
    comparison({ name: 'find-cache-dir {name, create: true}', unit: 'us', stats: s.findCacheDir, ours: ours.median }),
    comparison({ name: 'env-paths (computes only)', unit: 'us', stats: s.envPaths, ours: ours.median }),
    comparison({ name: 'existsSync of the space (the floor: one syscall)', unit: 'us', stats: s.existsSync, ours: ours.median, ratioText: `ours is ${formatValue(ours.median / s.existsSync.median, 'x')} the floor` }),
  ]
  return [
    metric({ id: 'warm-getScratch-import-meta', name: 'warm getScratch, owner import.meta (per call)', unit: 'us', stats: s.getScratchImportMeta, target, comparisons: compare(s.getScratchImportMeta) }),
    metric({ id: 'warm-getScratch-dirname', name: 'warm getScratch, owner __dirname (per call)', unit: 'us', stats: s.getScratchDirname, target, comparisons: [] }),
  ]
}
