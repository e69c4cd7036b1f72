#!/usr/bin/env node
// Installs the pnpm 11 and 12 the e2e tests drive into the e2e cache, once, and prints where
// they are. pnpm 10 comes from devDependencies (node_modules/.bin/pnpm); pnpm 12 is a native
// binary of about 70 MB, and pnpm 11 is `@pnpm/exe` (about 162 MB, with its own Node, because the
// JS `pnpm@11` refuses Node 20; its install script must run), so both stay out of the project's
// own install.
//
//   node scripts/provision-pnpm.mjs                install both if missing, print the binaries' paths
//   node scripts/provision-pnpm.mjs --json         the same, one line { version, bin, cacheDir, provisioned } each
//   node scripts/provision-pnpm.mjs --only 12      just one of them (11 or 12)
//
// Cache dir: $SCRATCH_E2E_CACHE, else <repo>/.cache/e2e. Needs the npm registry only when the
// binary is missing. Concurrent runs are safe: each installs into its own temp dir and the
// first rename wins.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { installIntoCache, installedVersion } from './npm-cache-install.mjs'

export const PNPM12_VERSION = '12.21.0'
export const PNPM11_VERSION = '11.28.6'

/** The npm package each provisioned pnpm comes from, by major version. */
export const PNPM_PACKAGES = {
  11: { name: '@pnpm/exe', version: PNPM11_VERSION },
  12: { name: 'pnpm', version: PNPM12_VERSION },
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Where the e2e tests keep what they provision: `$SCRATCH_E2E_CACHE`, else `<repo>/.cache/e2e`. */
export function e2eCacheDir(env = process.env) {
  const override = env.SCRATCH_E2E_CACHE
  return override !== undefined && override !== '' ? path.resolve(override) : path.join(repoRoot, '.cache', 'e2e')
}

/** The `pnpm` binary a provisioned install of `version` has. */
export function pnpmBinIn(dir) {
  return path.join(dir, 'node_modules', '.bin', 'pnpm')
}


/**
 * Installs `<pkg>@version` (`pnpm`, or `@pnpm/exe` for pnpm 11) into `<cacheDir>/pnpm-<version>`
 * unless it is there already. Returns `{ version, bin, cacheDir, provisioned }` (`provisioned`:
 * this call installed it). `onInstall` is called before a (slow) install starts.
 */
export function provisionPnpm({ version = PNPM12_VERSION, pkg = 'pnpm', cacheDir = e2eCacheDir(), onInstall } = {}) {
  const dir = path.join(cacheDir, `pnpm-${version}`)
  const bin = pnpmBinIn(dir)
  const ready = (at) => installedVersion(at, pkg) === version && fs.existsSync(pnpmBinIn(at))
  if (!ready(dir)) onInstall?.(`${pkg}@${version}`)
  const provisioned = installIntoCache(dir, `${pkg}@${version}`, { ready })
  return { version, bin, cacheDir, provisioned }
}

/** Provisions the pnpm of one major version (11 or 12). */
export function provisionMajor(major, opts = {}) {
  const spec = PNPM_PACKAGES[major]
  if (spec === undefined) throw new Error(`no provisioned pnpm ${major}: use 11 or 12`)
  return provisionPnpm({ version: spec.version, pkg: spec.name, ...opts })
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const only = process.argv.indexOf('--only')
  const majors = only === -1 ? [11, 12] : [Number(process.argv[only + 1])]
  for (const major of majors) {
    const result = provisionMajor(major, { onInstall: (spec) => process.stderr.write(`provisioning ${spec} into ${e2eCacheDir()} …\n`) })
    const version = execFileSync(result.bin, ['--version'], { encoding: 'utf8' }).trim()
    if (version !== result.version) throw new Error(`${result.bin} reports ${version}, expected ${result.version}`)
    process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify(result)}\n` : `${result.bin}\n`)
  }
}
