// One full gc in a fresh process, like `scratch gc [--dry-run]`: time around runGc (and around
// loading the gc bundle), the process's peak RSS, and a summary to check the world is as planned.
// argv: <dist dir> <store root> <dry-run: 1|0> [size kept spaces: 1|0, default 0 like `scratch gc`]
const path = require('node:path')
const t0 = process.hrtime.bigint()
const { runGc } = require(path.join(process.argv[2], 'gc.cjs'))
const t1 = process.hrtime.bigint()
runGc({ root: process.argv[3], dryRun: process.argv[4] === '1', sizeKept: process.argv[5] === '1' }).then((report) => {
  const t2 = process.hrtime.bigint()
  const count = (items, key) => items.reduce((acc, item) => ({ ...acc, [key(item)]: (acc[key(item)] ?? 0) + 1 }), {})
  console.log(JSON.stringify({
    requireMs: Number(t1 - t0) / 1e6,
    gcMs: Number(t2 - t1) / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    projects: count(report.projects, (p) => p.status),
    spaces: count(report.spaces, (s) => `${s.verdict}/${s.action}`),
    warnings: report.warnings,
  }))
})
