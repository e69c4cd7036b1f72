// Warm getScratch (the space exists and this process already recorded it) against find-cache-dir
// and env-paths, per call, in batches interleaved so that drift hits every variant alike.
// argv: <dist dir> <module dir inside the owner package> <project dir> <batches> <calls per batch>
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

const [dist, moduleDir, projectDir, batchesArg, callsArg] = process.argv.slice(2)
const require = createRequire(import.meta.url)
const { getScratch } = require(path.join(dist, 'index.cjs'))
const { default: findCacheDirectory } = await import('find-cache-dir')
const { default: envPaths } = await import('env-paths')

const meta = { url: pathToFileURL(path.join(moduleDir, 'index.js')).href }
const batches = Number(batchesArg)
const calls = Number(callsArg)
let sink = 0
const spacePath = getScratch('cache', meta)
const variants = {
  getScratchImportMeta: { calls, fn: () => getScratch('cache', meta) },
  existsSync: { calls, fn: () => (fs.existsSync(spacePath) ? spacePath : '') },
  getScratchDirname: { calls, fn: () => getScratch('cache', moduleDir) },
  findCacheDir: { calls: Math.ceil(calls / 5), fn: () => findCacheDirectory({ name: 'bench-owner', create: true, cwd: projectDir }) },
  envPaths: { calls, fn: () => envPaths('bench-owner').cache },
}
for (const variant of Object.values(variants)) {
  for (let i = 0; i < Math.min(variant.calls, 20_000); i++) sink += variant.fn().length
}
const perCallUs = Object.fromEntries(Object.keys(variants).map((name) => [name, []]))
for (let b = 0; b < batches; b++) {
  for (const [name, variant] of Object.entries(variants)) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < variant.calls; i++) sink += variant.fn().length
    perCallUs[name].push(Number(process.hrtime.bigint() - start) / 1e3 / variant.calls)
  }
}
console.log(JSON.stringify({ perCallUs, sink }))
