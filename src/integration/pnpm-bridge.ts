/**
 * The project `.pnpmfile.cjs` `scratch init` writes for pnpm (see docs/design.md, "The pnpm
 * bridge"). pnpm loads a project's `.pnpmfile.cjs` by default (10, 11, 12) from the first
 * install on, before node_modules exists; a `pnpmfile` setting pointing into node_modules fails
 * that first install, and pnpm 12 ignores it in `.npmrc`. So the bridge lives in the project and
 * loads the plugin's hooks only when `pnpm-plugin-scratch` is installed there: on a fresh clone,
 * after `pnpm remove pnpm-plugin-scratch`, or when the plugin is also a config dependency (pnpm
 * loads that one itself) it does nothing. It always exports the same two hooks, so pnpm's
 * `pnpmfileChecksum` in the lockfile never changes with the package's presence; `preResolution`
 * is needed anyway, as pnpm 12 calls `afterAllResolved` on `remove` only when it is defined.
 */
import fs from 'node:fs'
import path from 'node:path'
import { readRegularFile } from '../lockfiles/file'

export const PNPMFILE = '.pnpmfile.cjs'

/** The first line of the bridge: how init and `--undo` recognise the file as theirs. */
const BRIDGE_HEADER = '// Written by `scratch init` (pnpm-plugin-scratch); `scratch init --undo` removes it.'

/** The whole file init writes. */
export const BRIDGE_TEXT = `${BRIDGE_HEADER}
// Sweeps the scratch spaces of removed packages after pnpm add/remove/install, when
// pnpm-plugin-scratch is installed in this project; does nothing otherwise (a fresh clone's first
// install, or after the package is removed), so it never fails an install.
'use strict'
const path = require('path')
function plugin() {
  // Installed as a config dependency, pnpm loads the plugin itself.
  if (require('fs').existsSync(path.join(__dirname, 'node_modules', '.pnpm-config', 'pnpm-plugin-scratch'))) return undefined
  try {
    const manifest = require.resolve('pnpm-plugin-scratch/package.json', { paths: [__dirname] })
    return require(path.join(path.dirname(manifest), 'pnpmfile.cjs')).hooks
  } catch {
    return undefined
  }
}
module.exports = {
  hooks: {
    preResolution(ctx, logger) {
      const hooks = plugin()
      if (hooks !== undefined && typeof hooks.preResolution === 'function') return hooks.preResolution(ctx, logger)
    },
    afterAllResolved(lockfile, ctx) {
      const hooks = plugin()
      return hooks !== undefined && typeof hooks.afterAllResolved === 'function' ? hooks.afterAllResolved(lockfile, ctx) : lockfile
    },
  },
}
`

/** What is at `<dir>/.pnpmfile.cjs`: nothing, our bridge (as written, or edited since), or someone else's file. */
export type BridgeState = 'absent' | 'ours' | 'edited' | 'foreign'

export function bridgeState(dir: string): BridgeState {
  const read = readRegularFile(path.join(dir, PNPMFILE))
  if (!read.ok) return 'absent'
  const text = read.text
  if (text === BRIDGE_TEXT) return 'ours'
  return text.startsWith(BRIDGE_HEADER) ? 'edited' : 'foreign'
}

/** Why pnpm would not load the project's `.pnpmfile.cjs`, or null: a `pnpmfile` setting, or a `.pnpmfile.mjs` (wins on pnpm ≥ 11). */
export function bridgeBlocker(dir: string): string | null {
  if (fs.existsSync(path.join(dir, '.pnpmfile.mjs'))) return `${path.join(dir, '.pnpmfile.mjs')} exists, and pnpm ≥ 11 loads it instead of ${PNPMFILE}`
  for (const [file, pattern] of [['pnpm-workspace.yaml', /^pnpmfile\s*:/m], ['.npmrc', /^\s*pnpmfile\s*=/m]] as const) {
    const read = readRegularFile(path.join(dir, file))
    if (read.ok && pattern.test(read.text)) return `${path.join(dir, file)} sets pnpmfile, so pnpm does not load ${PNPMFILE}`
  }
  return null
}
