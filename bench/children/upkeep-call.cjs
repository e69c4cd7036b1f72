// The creating getScratch with and without the upkeep check, in one warm process: two creations
// with SCRATCHSPACE_AUTO_GC=0 (the faster one is the baseline), then one with it on (the first
// that looks at the stamp in this process). argv: <dist dir> <key prefix>
const { getScratch } = require(require('node:path').join(process.argv[2], 'index.cjs'))
const prefix = process.argv[3]
const owner = { name: 'upkeep-bench' }
const timed = (key) => {
  const start = process.hrtime.bigint()
  getScratch(key, owner)
  return Number(process.hrtime.bigint() - start) / 1e3
}
process.env.SCRATCHSPACE_AUTO_GC = '0'
timed(`${prefix}-warm`)
const offUs = Math.min(timed(`${prefix}-off1`), timed(`${prefix}-off2`))
delete process.env.SCRATCHSPACE_AUTO_GC
const onUs = timed(`${prefix}-on`)
console.log(JSON.stringify({ offUs, onUs }))
