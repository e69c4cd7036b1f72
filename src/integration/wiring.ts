/**
 * What a project has wired for automatic cleanup, read only (what `scratch status` shows; `init`
 * writes these, `init --undo` removes them): the pnpm config dependency, the `.pnpmfile.cjs`
 * bridge, the npm `dependencies` script, the yarn berry plugin. See docs/design.md, "Status".
 */
import fs from 'node:fs'
import path from 'node:path'
import { PACKAGE_NAME } from './init'
import { readManifest, scriptsOf, type Manifest } from './manifest'
import { runsGc } from './npm-script'
import { detectPackageManager, hasConfigDependency, type PackageManagerName } from './package-manager'
import { bridgeState, type BridgeState } from './pnpm-bridge'
import { YARN_PLUGIN_PATH, YARNRC } from './yarn-berry'
import { readRegularFile } from '../lockfiles/file'

/** The wiring of one project. */
export interface Wiring {
  /** The project directory (the nearest one with a package.json at or above where it was asked). */
  dir: string
  packageManager: PackageManagerName
  /** What gave the package manager away (a lockfile, the packageManager field…). */
  detectedFrom: string
  /** `pnpm-workspace.yaml` lists the package under `configDependencies` (pnpm's recommended route). */
  configDependency: boolean
  /** `.pnpmfile.cjs`: absent, the bridge `init` writes, an edited bridge, or another file. */
  pnpmfile: BridgeState
  /** `package.json`'s `dependencies` script runs the scratch gc (npm's route). */
  npmScript: boolean
  /** `.yarnrc.yml` lists the plugin file `init` writes, and the file is there (yarn berry's route). */
  yarnPlugin: boolean
  /** True when any of the above would sweep after an install. */
  any: boolean
}

/** The nearest directory at or above `from` that holds a `package.json`, or null. */
export function projectAbove(from: string): string | null {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) return null
  }
}

function yarnPluginWired(dir: string): boolean {
  try {
    const rc = readRegularFile(path.join(dir, YARNRC))
    return rc.ok && rc.text.includes(YARN_PLUGIN_PATH) && fs.statSync(path.join(dir, ...YARN_PLUGIN_PATH.split('/'))).isFile()
  } catch {
    return false
  }
}

/** The wiring of the project at or above `from`, or null when there is no project there. Never writes. */
export function projectWiring(from: string, env: NodeJS.ProcessEnv = process.env): Wiring | null {
  const dir = projectAbove(from)
  if (dir === null) return null
  let manifest: Manifest | null = null
  try {
    manifest = readManifest(dir)
  } catch {
    // An unreadable package.json wires nothing; status only reports.
  }
  const detected = detectPackageManager(dir, manifest, env)
  const configDependency = hasConfigDependency(dir, PACKAGE_NAME)
  const pnpmfile = bridgeState(dir)
  const npmScript = manifest !== null && runsGc(scriptsOf(manifest)?.dependencies)
  const yarnPlugin = yarnPluginWired(dir)
  return {
    dir, packageManager: detected.name, detectedFrom: detected.from, configDependency, pnpmfile, npmScript, yarnPlugin,
    any: configDependency || pnpmfile === 'ours' || pnpmfile === 'edited' || npmScript || yarnPlugin,
  }
}
