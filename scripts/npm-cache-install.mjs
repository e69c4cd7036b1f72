// One way the provisioning scripts install a registry package into the e2e cache: npm installs
// it into a fresh temp dir beside the target, which is then renamed into place as a whole (the
// .bin shims are relative symlinks). Concurrent runs are safe: the first rename wins, and a run
// that finds a good copy already in place keeps it.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

/** The version of `pkg` installed under `dir`, or null. */
export function installedVersion(dir, pkg) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', ...pkg.split('/'), 'package.json'), 'utf8')).version
  } catch {
    return null
  }
}

/**
 * Installs `spec` (`name@version`) into `dir` unless `ready(dir)` already holds. `ready` checks
 * a directory for a usable install; `ignoreScripts` skips the package's install scripts.
 * Returns whether this call put the install in place.
 */
export function installIntoCache(dir, spec, { ready, ignoreScripts = false }) {
  if (ready(dir)) return false
  const cacheDir = path.dirname(dir)
  fs.mkdirSync(cacheDir, { recursive: true })
  const temp = fs.mkdtempSync(path.join(cacheDir, `.${path.basename(dir)}.tmp-`))
  try {
    fs.writeFileSync(path.join(temp, 'package.json'), '{ "private": true }\n')
    const flags = ['install', '--prefix', temp, '--no-audit', '--no-fund', '--no-save', ...(ignoreScripts ? ['--ignore-scripts'] : []), spec]
    execFileSync('npm', flags, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, npm_config_update_notifier: 'false' } })
    if (!ready(temp)) throw new Error(`npm install ${spec} did not install it into ${temp}`)
    // Another run may have finished first; its copy is as good as ours. A broken copy goes.
    if (ready(dir)) return false
    fs.rmSync(dir, { recursive: true, force: true })
    try {
      fs.renameSync(temp, dir)
      return true
    } catch (err) {
      if (err.code !== 'EEXIST' && err.code !== 'ENOTEMPTY') throw err
      return false
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true })
  }
}
