// The pnpm plugin as pnpm 10 runs it, in-process: load the built hook, preResolution with the
// lockfile dir, then afterAllResolved with the resolved lockfile object (timed), which registers
// the project and runs the scoped sweep. pnpm 10 goes on in the same process, and the swept spaces'
// files are removed by a worker thread after the hook returns: `settledMs` is how long after the
// hook's return the process could exit (everything it left was done).
// argv: <dist dir> <lockfile object JSON file> <project dir>
const fs = require('node:fs')
const path = require('node:path')
const [dist, lockfileFile, projectDir] = process.argv.slice(2)
const lockfile = JSON.parse(fs.readFileSync(lockfileFile, 'utf8'))
// pnpm 10 and 11 have loaded node:worker_threads by the time they call afterAllResolved (seen in
// `process.moduleLoadList` from a pnpmfile, even in an install of link:/file: dependencies only),
// so the hook does not pay for loading it there; neither does it here.
require('node:worker_threads')
const t0 = process.hrtime.bigint()
const { hooks } = require(path.join(dist, 'pnpm-hook.cjs'))
const t1 = process.hrtime.bigint()
const lines = []
hooks.preResolution({ lockfileDir: projectDir })
const t2 = process.hrtime.bigint()
hooks.afterAllResolved(lockfile, { log: (line) => lines.push(line) })
const t3 = process.hrtime.bigint()
process.on('exit', () => {
  const t4 = process.hrtime.bigint()
  console.log(JSON.stringify({ requireMs: Number(t1 - t0) / 1e6, hookMs: Number(t3 - t2) / 1e6, settledMs: Number(t4 - t3) / 1e6, lines }))
})
