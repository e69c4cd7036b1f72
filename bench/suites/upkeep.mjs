// What the periodic upkeep costs the getScratch call that creates a space: in each fresh process,
// a creating call with the upkeep switched off against the first one with it on, the stamp
// fresh (the check only) or 8 days old (the upkeep is due and scheduled). Calls that create
// nothing never reach the check.
import fs from 'node:fs'
import path from 'node:path'
import { childEnv, runNode } from '../lib/child.mjs'
import { metric } from '../lib/report.mjs'
import { summarize } from '../lib/stats.mjs'

const DAY = 86_400_000

async function waitFor(check, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error('upkeep bench: the detached gc did not record itself in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export async function upkeepSuite({ dist, fixture, work, quick }) {
  const script = path.join(fixture.moduleDir, 'upkeep-call.cjs')
  fs.copyFileSync(path.join(import.meta.dirname, '..', 'children', 'upkeep-call.cjs'), script)
  const store = path.join(work, 'upkeep-store')
  const book = path.join(store, '.scratch')
  const stamp = path.join(book, 'upkeep.stamp')
  const lastGc = path.join(book, 'last-gc.json')
  const run = (key) => runNode(script, [dist, key], { env: childEnv({ SCRATCHSPACE_DIR: store }), cwd: fixture.projectDir })
  await run('warmup')
  fs.writeFileSync(stamp, '')
  const processes = quick ? 5 : 15
  const check = []
  const start = []
  for (let i = 0; i < processes; i++) {
    const now = Date.now()
    fs.utimesSync(stamp, now / 1000, now / 1000)
    const checked = await run(`check-${i}`)
    const stale = (now - 8 * DAY) / 1000
    fs.utimesSync(stamp, stale, stale)
    const before = fs.statSync(lastGc, { throwIfNoEntry: false })?.mtimeMs ?? 0
    const due = await run(`due-${i}`)
    // The detached gc must be done before the next sample, or it competes for the CPU.
    await waitFor(() => (fs.statSync(lastGc, { throwIfNoEntry: false })?.mtimeMs ?? 0) > before)
    check.push((checked.onUs - checked.offUs) / 1000)
    start.push((due.onUs - due.offUs) / 1000)
  }
  const note = 'in one warm process: the first creating call with the upkeep on minus the faster of two with SCRATCHSPACE_AUTO_GC=0'
  return [
    metric({
      id: 'upkeep-check', name: 'creating getScratch: added by the upkeep check (not due)', unit: 'ms', stats: summarize(check),
      target: { max: 0.5, text: '< 0.5 ms' }, notes: [note, 'one stat of the stamp, once per process and store; a getScratch that creates nothing never checks'],
    }),
    metric({
      id: 'upkeep-start', name: 'creating getScratch: added when it starts the upkeep', unit: 'ms', stats: summarize(start),
      target: { max: 0.5, text: '< 0.5 ms' }, notes: ['the call only schedules: the atomic claim (link + utimes) and the detached spawn of the low-priority gc (milliseconds of the process, not of the call) run on the next turn of its event loop; at most once per 7 days per store'],
    }),
  ]
}
