// One deletion of every space in a fresh process, like `scratch clear --all` or `scratch gc`:
// time around the call. argv: <dist dir> <store root> <clear|gc>
const path = require('node:path')
const { clearSpaces, runGc } = require(path.join(process.argv[2], 'gc.cjs'))
const root = process.argv[3]
const t0 = process.hrtime.bigint()
const run = process.argv[4] === 'clear' ? clearSpaces({ root, all: true }) : runGc({ root })
run.then((report) => {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  const deleted = report.spaces.filter((s) => s.action === 'deleted').length
  console.log(JSON.stringify({ ms, deleted, spaces: report.spaces.length }))
})
