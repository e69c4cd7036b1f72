#!/usr/bin/env node
// Parse time per pnpm-lock.yaml: the fast line scanner vs the `yaml` package path vs
// @pnpm/lockfile.fs readWantedLockfile. Not a test; prints a table.
//
// Usage: node scripts/measure-lockfile-parse.mjs [packages=1000] [extra pnpm-lock.yaml files...]
// The synthetic lockfile comes from test/lockfiles/synthetic-pnpm.ts; src/lockfiles is bundled
// on the fly with esbuild (yaml bundled in, as in dist/; @pnpm/lockfile.fs from node_modules).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { buildSync } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(path.join(root, 'package.json'))
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'measure-lockfile-'))

try {
  const bundle = path.join(tmp, 'readers.cjs')
  buildSync({
    stdin: {
      contents: `export { parsePnpmLockfileFast, parsePnpmLockfileSlow } from './src/lockfiles/pnpm'
                 export { syntheticPnpmLockfile } from './test/lockfiles/synthetic-pnpm'`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    nodePaths: [path.join(root, 'node_modules')],
    logLevel: 'error',
  })
  const readers = require(bundle)
  const { readWantedLockfile } = require('@pnpm/lockfile.fs')

  const count = Number(process.argv[2] ?? 1000)
  const inputs = [{ label: `synthetic ${count} packages`, text: readers.syntheticPnpmLockfile(count) }]
  for (const file of process.argv.slice(3)) inputs.push({ label: path.basename(path.dirname(path.resolve(file))) + '/' + path.basename(file), text: fs.readFileSync(file, 'utf8') })

  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown cpu'}`)
  console.log('input'.padEnd(40), 'bytes'.padStart(8), 'lines'.padStart(7), 'fast ms'.padStart(9), 'yaml ms'.padStart(9), 'lockfile.fs ms'.padStart(15), 'yaml/fast'.padStart(10))
  for (const { label, text } of inputs) {
    const dir = fs.mkdtempSync(path.join(tmp, 'p-'))
    fs.writeFileSync(path.join(dir, 'pnpm-lock.yaml'), text)
    const fastResult = readers.parsePnpmLockfileFast(text)
    if (fastResult === null || !fastResult.ok) throw new Error(`${label}: fast path did not read it: ${fastResult?.reason ?? 'fell back'}`)
    const fast = timeSync(() => readers.parsePnpmLockfileFast(text), 200)
    const slow = timeSync(() => readers.parsePnpmLockfileSlow(text), 10)
    const pnpm = await timeAsync(() => readWantedLockfile(dir, { ignoreIncompatible: false }), 10)
    console.log(label.padEnd(40), String(text.length).padStart(8), String(text.split('\n').length).padStart(7),
      fast.toFixed(2).padStart(9), slow.toFixed(1).padStart(9), pnpm.toFixed(1).padStart(15), (slow / fast).toFixed(0).padStart(10))
  }
  console.log('median of the timed runs after warm-up; lockfile.fs includes reading the file')
} finally {
  fs.rmSync(tmp, { recursive: true, force: true })
}

function timeSync(fn, runs) {
  for (let i = 0; i < Math.min(runs, 5); i++) fn()
  const times = []
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint()
    fn()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return median(times)
}

async function timeAsync(fn, runs) {
  for (let i = 0; i < Math.min(runs, 3); i++) await fn()
  const times = []
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint()
    await fn()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return median(times)
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}
