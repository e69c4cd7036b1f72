import fs from 'node:fs'
import path from 'node:path'
import { LOCKFILE_KINDS } from '../lockfiles/kinds'
import type { PackageManagerName } from '../lockfiles/types'
import type { Manifest } from './manifest'
import { readRegularFile } from '../lockfiles/file'

export type { PackageManagerName }

export const PACKAGE_MANAGERS: readonly PackageManagerName[] = ['npm', 'pnpm', 'yarn', 'bun', 'deno']

/** Which package manager a project uses, and what gave it away. */
export interface Detection {
  name: PackageManagerName
  /** `pnpm-lock.yaml`, `packageManager field (pnpm@10.0.0)`, `npm_config_user_agent (npm/11.19.1 …)`, `default`… */
  from: string
}

// The lockfiles at the top of a project, with the package manager each belongs to (from the
// kinds table, so a new kind names its manager or does not compile).
const LOCKFILES: ReadonlyArray<[string, PackageManagerName]> = Object.values(LOCKFILE_KINDS)
  .flatMap((info) => info.files.filter((file) => !file.includes('/')).map((file): [string, PackageManagerName] => [file, info.manager]))

function nameIn(text: unknown): PackageManagerName | null {
  if (typeof text !== 'string') return null
  const name = /^\s*(npm|pnpm|yarn|bun)(?:[@/]|$)/.exec(text)?.[1]
  return (name as PackageManagerName | undefined) ?? null
}

/** The `devEngines.packageManager` entry (an object, or a list whose first entry counts), as `name@version`. */
function devEnginesPackageManager(manifest: Manifest | null): string | null {
  const engines = manifest?.data.devEngines as { packageManager?: unknown } | undefined
  const entry = Array.isArray(engines?.packageManager) ? engines?.packageManager[0] : engines?.packageManager
  if (entry === null || typeof entry !== 'object' || typeof (entry as { name?: unknown }).name !== 'string') return null
  const { name, version } = entry as { name: string; version?: unknown }
  return typeof version === 'string' ? `${name}@${version}` : name
}

/**
 * Detects the package manager of `dir`: its lockfile; else the manifest's `packageManager`
 * field (or `devEngines.packageManager`); else the package manager running this command
 * (`npm_config_user_agent`); else npm.
 * With lockfiles of several managers, the field or the user agent picks among them.
 */
export function detectPackageManager(dir: string, manifest: Manifest | null, env: NodeJS.ProcessEnv): Detection {
  const declared = manifest?.data.packageManager ?? devEnginesPackageManager(manifest)
  const field = nameIn(declared)
  const agent = nameIn(env.npm_config_user_agent)
  const found = LOCKFILES.filter(([file]) => fs.existsSync(path.join(dir, file)))
  if (found.length > 0) {
    const preferred = found.find(([, name]) => name === field) ?? found.find(([, name]) => name === agent) ?? found[0]
    return { name: preferred[1], from: preferred[0] }
  }
  if (field !== null) {
    const source = manifest?.data.packageManager !== undefined ? 'packageManager field' : 'devEngines.packageManager'
    return { name: field, from: `${source} (${String(declared)})` }
  }
  if (agent !== null) return { name: agent, from: `npm_config_user_agent (${env.npm_config_user_agent?.split(' ')[0] ?? ''})` }
  return { name: 'npm', from: 'default (no lockfile, packageManager field or user agent)' }
}

/** Whether `pnpm-workspace.yaml` in `dir` lists `name` under `configDependencies`. */
export function hasConfigDependency(dir: string, name: string): boolean {
  const read = readRegularFile(path.join(dir, 'pnpm-workspace.yaml'))
  if (!read.ok) return false
  const text = read.text
  const key = `['"]?${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"]?\\s*:`
  let inSection = false
  for (const line of text.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      inSection = /^configDependencies\s*:/.test(line)
      // The flow style: `configDependencies: { pnpm-plugin-scratch: 1.0.0 }`.
      if (inSection && new RegExp(`[{,]\\s*${key}`).test(line)) return true
    } else if (inSection && new RegExp(`^\\s+${key}`).test(line)) {
      return true
    }
  }
  return false
}

/** The pnpm version the project declares (`packageManager: pnpm@x.y.z`) or runs under (the user agent), or null. */
export function pnpmVersion(manifest: Manifest | null, env: NodeJS.ProcessEnv): { text: string; major: number; minor: number } | null {
  for (const source of [manifest?.data.packageManager, devEnginesPackageManager(manifest), env.npm_config_user_agent]) {
    const match = typeof source === 'string' ? /^\s*pnpm[@/](\d+)\.(\d+)\.\d+/.exec(source) : null
    if (match !== null) return { text: `${match[1]}.${match[2]}`, major: Number(match[1]), minor: Number(match[2]) }
  }
  return null
}
