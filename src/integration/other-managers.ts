import path from 'node:path'
import * as bun from './bun'
import { denoNotes, denoProjectFile } from './deno'
import type { InitChange, InitOptions, InitResult } from './init'
import { dependsOn, readManifest } from './manifest'
import { detectPackageManager, type Detection } from './package-manager'
import { yarnClassicNotes } from './yarn-classic'
import * as yarnBerry from './yarn-berry'

/**
 * `scratch init` for the package managers and runtimes other than npm and pnpm (docs/design.md,
 * "Automatic cleanup beyond npm and pnpm"): yarn berry gets the yarn plugin, bun a root
 * `postinstall`, yarn classic and Deno only notes on what to run.
 */

/** Deno when the project has Deno's files and nothing but a default detection says otherwise. */
function detect(dir: string, opts: InitOptions): Detection | null {
  if (opts.packageManager !== undefined) return { name: opts.packageManager, from: '--package-manager' }
  let manifest = null
  try {
    manifest = readManifest(dir)
  } catch {
    return null // init's own path reports the unreadable package.json.
  }
  const deno = denoProjectFile(dir)
  if (manifest === null) return deno === null ? null : { name: 'deno', from: deno }
  const found = detectPackageManager(dir, manifest, opts.env ?? process.env)
  if (deno !== null && found.from.startsWith('default')) return { name: 'deno', from: deno }
  return found
}

function asInitChanges(changes: yarnBerry.WiringChange[]): InitChange[] {
  return changes.map((change) => ({ ...change, after: change.after ?? '(removed)' }))
}

/**
 * The init result for yarn, bun and Deno projects, having wired what applies; null for npm and
 * pnpm projects, which `initProject` handles itself.
 */
export function initOtherManager(dir: string, opts: InitOptions = {}): InitResult | null {
  const projectDir = path.resolve(dir)
  const detection = detect(projectDir, opts)
  if (detection === null || detection.name === 'npm' || detection.name === 'pnpm') return null
  const dryRun = opts.dryRun ?? false
  const result: InitResult = {
    dir: projectDir, packageManager: detection.name, detectedFrom: detection.from, dryRun, undo: false, changes: [], unchanged: [], notes: [], warnings: [],
  }
  if (detection.name === 'deno') {
    result.notes.push(...denoNotes())
  } else if (detection.name === 'bun') {
    result.changes.push(...asInitChanges(bun.wire(projectDir, { dryRun })))
    if (result.changes.length === 0) result.unchanged.push('scripts.postinstall already runs the sweep')
    result.notes.push(...bun.BUN_NOTES)
    const manifest = readManifest(projectDir)
    if (manifest !== null && !dependsOn(manifest, 'pnpm-plugin-scratch') && manifest.data.name !== 'pnpm-plugin-scratch') {
      result.warnings.push(`pnpm-plugin-scratch is not a dependency of ${manifest.file}: the "postinstall" sweep runs only while ` +
        'some installed package brings it along. Add it: bun add --dev pnpm-plugin-scratch')
    }
  } else if (yarnBerry.yarnFlavor(projectDir, readManifest(projectDir)?.data.packageManager) === 'classic') {
    result.notes.push(...yarnClassicNotes())
  } else {
    result.changes.push(...asInitChanges(yarnBerry.wire(projectDir, { dryRun })))
    if (result.changes.length === 0) result.unchanged.push(`${yarnBerry.YARN_PLUGIN_PATH} is up to date and listed in .yarnrc.yml`)
    result.notes.push(...yarnBerry.YARN_BERRY_NOTES)
  }
  return result
}

/** What `scratch init --undo` removes for yarn berry and bun (both, whatever is detected now). */
export function undoOtherManagers(dir: string, opts: { dryRun?: boolean } = {}): yarnBerry.WiringChange[] {
  return [...yarnBerry.unwire(dir, opts), ...bun.unwire(dir, opts)]
}
