// `scratch clear --all` against gc deleting the same spaces: the same store (4,000 spaces of two
// small files in 400 namespaces, unused for 30 days, so gc judges them all orphaned) is built
// afresh before every run, the two kinds of run alternate, each in a fresh process.
import fs from 'node:fs'
import path from 'node:path'
import { runNode } from '../lib/child.mjs'
import { comparison, metric } from '../lib/report.mjs'
import { summarize } from '../lib/stats.mjs'

const CHILDREN = path.join(import.meta.dirname, '..', 'children')
const BLOB = Buffer.alloc(4096, 7)

function writeStore(root, count) {
  fs.rmSync(root, { recursive: true, force: true })
  fs.mkdirSync(path.join(root, '.scratch'), { recursive: true })
  fs.writeFileSync(path.join(root, '.scratch', 'format'), '1\n')
  const old = new Date(Date.now() - 30 * 86_400_000)
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, `pkg-${i % 400}`, `space-${i}`)
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, 'index.json'), '{"v":1}\n')
    fs.writeFileSync(path.join(dir, 'blob.bin'), BLOB)
    fs.utimesSync(dir, old, old)
  }
}

export async function clearSuite({ dist, work, quick, log }) {
  const count = quick ? 400 : 4000
  const reps = quick ? 1 : 3
  const root = path.join(work, 'store-clear')
  const runs = { clear: [], gc: [] }
  for (let i = 0; i < reps; i++) {
    for (const mode of ['clear', 'gc']) {
      writeStore(root, count)
      const out = await runNode(path.join(CHILDREN, 'clear.cjs'), [dist, root, mode])
      if (out.deleted !== count) throw new Error(`${mode} deleted ${out.deleted} of ${count} spaces`)
      runs[mode].push(out.ms)
      log(`  ${mode} of ${count} spaces ${i + 1}/${reps}: ${Math.round(out.ms)} ms`)
    }
  }
  fs.rmSync(root, { recursive: true, force: true })
  const clear = summarize(runs.clear)
  const gc = summarize(runs.gc)
  return [metric({
    id: 'clear-all', name: `scratch clear --all, ${count.toLocaleString('en')} spaces`, unit: 'ms', stats: clear,
    target: { max: 1.2 * gc.median, text: `≤ 1.2× gc (${Math.round(1.2 * gc.median)} ms)` },
    comparisons: [comparison({ name: 'gc deleting the same spaces', unit: 'ms', stats: gc, ours: clear.median, ratioText: `clear takes ${(clear.median / gc.median).toFixed(2)}× gc` })],
    notes: ['both rename every space into the trash first, then remove the trash copies in one pass (src/gc/execute.ts)'],
  })]
}
