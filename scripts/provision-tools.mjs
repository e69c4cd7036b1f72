#!/usr/bin/env node
// Installs the other package managers and runtimes the e2e tests drive (yarn berry, yarn
// classic, bun, deno) into the e2e cache, once each, and prints where their binaries are. All
// come from the npm registry as ordinary packages:
//
//   yarn 4  @yarnpkg/cli-dist   ~3 MB, one JavaScript file run with node
//   yarn 1  yarn                ~1 MB
//   bun     bun                 ~40 MB download, ~100 MB on disk (a native binary)
//   deno    deno                ~45 MB download, ~120 MB on disk (a native binary)
//
//   node scripts/provision-tools.mjs                 all of them, one "name path" line each
//   node scripts/provision-tools.mjs yarn4 bun       only those
//   node scripts/provision-tools.mjs --json [names]  { name: { version, bin, run, cacheDir, provisioned } }
//
// `run` is the command line that starts the tool: yarn berry is a script, so it is run as
// `[node, yarn.js]`; the others are `[bin]`. Cache dir: $SCRATCH_E2E_CACHE, else
// <repo>/.cache/e2e. Needs the npm registry only when a tool is missing. Concurrent runs are
// safe: each installs into its own temp dir and the first rename wins.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { installIntoCache, installedVersion } from './npm-cache-install.mjs'
import { e2eCacheDir } from './provision-pnpm.mjs'

/**
 * name → the package to install, the file inside `node_modules` that is the binary, and
 * whether it is a JavaScript file started with node. bun's and deno's packages put their native
 * binary in place from an install script, which is not run: the same binary is in the platform
 * package npm picked (`*`: the one directory there is), which is what `bin` points at.
 */
export const TOOLS = Object.freeze({
  yarn4: { pkg: '@yarnpkg/cli-dist', version: '4.18.1', bin: '@yarnpkg/cli-dist/bin/yarn.js', script: true },
  yarn1: { pkg: 'yarn', version: '1.22.22', bin: 'yarn/bin/yarn.js', script: true },
  bun: { pkg: 'bun', version: '1.4.5', bin: '@oven/*/bin/bun', script: false },
  deno: { pkg: 'deno', version: '2.9.6', bin: '@deno/*/deno', script: false },
})


/** The binary a provisioned tool has inside `dir`. */
function binIn(dir, tool) {
  const [before, after] = tool.bin.split('*')
  if (after === undefined) return path.join(dir, 'node_modules', tool.bin)
  let found = []
  try {
    found = fs.readdirSync(path.join(dir, 'node_modules', before)).filter((name) => fs.existsSync(path.join(dir, 'node_modules', before, name, after)))
  } catch {
    // Not installed (yet).
  }
  return path.join(dir, 'node_modules', before, found[0] ?? '*', after)
}

function describe(name, tool, dir, cacheDir, provisioned) {
  const bin = binIn(dir, tool)
  return { name, version: tool.version, bin, run: tool.script ? [process.execPath, bin] : [bin], cacheDir, provisioned }
}

/**
 * Installs tool `name` ({@link TOOLS}) into `<cacheDir>/<name>-<version>` unless it is there.
 * Returns `{ name, version, bin, run, cacheDir, provisioned }`.
 */
export function provisionTool(name, { cacheDir = e2eCacheDir() } = {}) {
  const tool = TOOLS[name]
  if (tool === undefined) throw new Error(`unknown tool ${name}; one of ${Object.keys(TOOLS).join(', ')}`)
  const dir = path.join(cacheDir, `${name}-${tool.version}`)
  const ready = (at) => installedVersion(at, tool.pkg) === tool.version && fs.existsSync(binIn(at, tool))
  // No install scripts: bun's would only move the binary its platform package already has.
  const provisioned = installIntoCache(dir, `${tool.pkg}@${tool.version}`, { ready, ignoreScripts: true })
  return describe(name, tool, dir, cacheDir, provisioned)
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const json = args.includes('--json')
  const names = args.filter((arg) => arg !== '--json')
  const results = {}
  for (const name of names.length > 0 ? names : Object.keys(TOOLS)) {
    const result = provisionTool(name)
    const [cmd, ...rest] = result.run
    const version = execFileSync(cmd, [...rest, '--version'], { encoding: 'utf8', env: { ...process.env, YARN_IGNORE_PATH: '1' } }).trim()
    if (!version.includes(result.version)) throw new Error(`${result.bin} reports ${version}, expected ${result.version}`)
    results[name] = result
  }
  process.stdout.write(json ? `${JSON.stringify(results)}\n` : Object.values(results).map((r) => `${r.name} ${r.bin}\n`).join(''))
}
