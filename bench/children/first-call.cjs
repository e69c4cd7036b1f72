// The first getScratch of a fresh process: owner resolution (package.json walk), project detection
// (lockfile walk from the install root), the access record, the mkdir. Copied into the owner
// package, so __dirname is a real package location. argv: <dist dir> <key>
const start = process.hrtime.bigint()
const { getScratch } = require(require('node:path').join(process.argv[2], 'index.cjs'))
const loaded = process.hrtime.bigint()
const dir = getScratch(process.argv[3], __dirname)
const done = process.hrtime.bigint()
console.log(JSON.stringify({ requireUs: Number(loaded - start) / 1e3, firstCallUs: Number(done - loaded) / 1e3, dir }))
