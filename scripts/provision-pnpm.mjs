#!/usr/bin/env node
// Installs the pnpm 12 the e2e tests drive into the e2e cache, once, and prints where it is.
// pnpm 10 comes from devDependencies (node_modules/.bin/pnpm); pnpm 12 is a native binary of
// about 70 MB, so it is kept out of the project's own install.
//
//   node scripts/provision-pnpm.mjs          install if missing, print the pnpm binary's path
//   node scripts/provision-pnpm.mjs --json   the same as { version, bin, cacheDir, provisioned }
//
// Cache dir: $SCRATCH_E2E_CACHE, else <repo>/.cache/e2e. Needs the npm registry only when the
// binary is missing. Concurrent runs are safe: each installs into its own temp dir and the
// first rename wins.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const PNPM12_VERSION = '12.21.0'

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

function installedVersion(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'pnpm', 'package.json'), 'utf8')).version
  } catch {
    return null
  }
}

/**
 * Installs `pnpm@version` into `<cacheDir>/pnpm-<version>` unless it is there already.
 * Returns `{ version, bin, cacheDir, provisioned }` (`provisioned`: this call installed it).
 */
export function provisionPnpm({ version = PNPM12_VERSION, cacheDir = e2eCacheDir() } = {}) {
  const dir = path.join(cacheDir, `pnpm-${version}`)
  const result = { version, bin: pnpmBinIn(dir), cacheDir, provisioned: false }
  if (installedVersion(dir) === version && fs.existsSync(result.bin)) return result
  fs.mkdirSync(cacheDir, { recursive: true })
  const temp = fs.mkdtempSync(path.join(cacheDir, `.pnpm-${version}.tmp-`))
  try {
    fs.writeFileSync(path.join(temp, 'package.json'), '{ "private": true }\n')
    execFileSync('npm', ['install', '--prefix', temp, '--no-audit', '--no-fund', '--no-save', `pnpm@${version}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, npm_config_update_notifier: 'false' },
    })
    if (installedVersion(temp) !== version) throw new Error(`npm install pnpm@${version} did not install it into ${temp}`)
    // Another run may have finished first; its copy is as good as ours. A broken copy goes.
    if (installedVersion(dir) === version) return result
    fs.rmSync(dir, { recursive: true, force: true })
    // The .bin shims are relative symlinks, so the tree can move as a whole.
    try {
      fs.renameSync(temp, dir)
      result.provisioned = true
    } catch (err) {
      if (err.code !== 'EEXIST' && err.code !== 'ENOTEMPTY') throw err
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true })
  }
  return result
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = provisionPnpm()
  const version = execFileSync(result.bin, ['--version'], { encoding: 'utf8' }).trim()
  if (version !== result.version) throw new Error(`${result.bin} reports ${version}, expected ${result.version}`)
  process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify(result)}\n` : `${result.bin}\n`)
}
