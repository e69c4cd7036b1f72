// Import + first getScratch from an ES module of a fresh process: the runtime's ESM entry loaded
// with import(), then getScratch(key, import.meta). Copied into the owner package, like
// first-call.cjs. argv: <dist dir> <key>
import path from 'node:path'
import { pathToFileURL } from 'node:url'
const start = process.hrtime.bigint()
const { getScratch } = await import(pathToFileURL(path.join(process.argv[2], 'index.mjs')).href)
const loaded = process.hrtime.bigint()
const dir = getScratch(process.argv[3], import.meta)
const done = process.hrtime.bigint()
console.log(JSON.stringify({ importUs: Number(loaded - start) / 1e3, firstCallUs: Number(done - loaded) / 1e3, dir }))
