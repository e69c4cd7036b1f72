import path from 'node:path'
import type { LockfileRead } from '../lockfiles'
import { readPackageJson, type PackageJsonRead } from '../lockfiles/package-json'
import { isRecord } from '../lockfiles/types'

const INSTALLED_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const

// Specifiers a yarn.lock legitimately has no entry for: the package is a directory linked in
// place, not something yarn resolved (docs/design.md, "What real lockfiles contain").
const UNLOCKED_SPECIFIERS = /^(?:link|portal):/

interface Declared {
  /** Names in dependencies, devDependencies, optionalDependencies → their specifiers. */
  installed: Map<string, string>
  /** Peer dependency names: pnpm may install them (auto-install-peers), yarn never records them for a workspace. */
  peers: Set<string>
  /** The runtime `devEngines.runtime` names (`node`): pnpm locks it as `node: runtime:…`. */
  runtimes: Set<string>
}

/** What an importer's package.json declares, or null when there is none (already checked readable). */
function declaredDependencies(dir: string, importer: string, readManifest: (file: string) => PackageJsonRead): Declared | null {
  const read = readManifest(path.join(dir, importer, 'package.json'))
  if (!read.ok) return null
  const { manifest } = read
  const declared: Declared = { installed: new Map(), peers: new Set(), runtimes: new Set() }
  for (const field of INSTALLED_FIELDS) {
    const deps = manifest[field]
    if (isRecord(deps)) for (const [name, spec] of Object.entries(deps)) declared.installed.set(name, typeof spec === 'string' ? spec : '')
  }
  if (isRecord(manifest.peerDependencies)) for (const name of Object.keys(manifest.peerDependencies)) declared.peers.add(name)
  const devEngines = manifest.devEngines
  const runtime = isRecord(devEngines) ? devEngines.runtime : undefined
  for (const entry of Array.isArray(runtime) ? runtime : [runtime]) {
    if (isRecord(entry) && typeof entry.name === 'string') declared.runtimes.add(entry.name)
  }
  return declared
}

/**
 * Why lockfiles that parsed cleanly still cannot be trusted to list every package the project
 * uses, or null. Damage that leaves a well-formed file (a lost line, a changed byte) shows only
 * against the importers' package.json files:
 * - a lockfile that records each importer's direct dependencies (pnpm) must not record one its
 *   package.json does not declare — a changed name shows up this way. A declared peer and the
 *   `devEngines.runtime` (pnpm writes `node: runtime:…` for it) count as declared. The other
 *   direction is not checked: pnpm runs `postuninstall` after writing the lockfile and before
 *   rewriting package.json, and that sweep must see the new names.
 * - a yarn.lock records no importers, so every dependency package.json declares must be in it —
 *   except peers (yarn 1 never records them; yarn 4 only as peers of the workspace, unresolved
 *   when optional and absent) and `link:`/`portal:` directories, which yarn does not lock.
 * npm and bun lockfiles record importers' dependencies and their readers check entries against them.
 * `readManifest` reads a package.json (the gc passes one that reuses what it read for the names).
 */
export function manifestMismatch(dir: string, reads: LockfileRead[], names: ReadonlySet<string>, readManifest = readPackageJson): string | null {
  for (const read of reads) {
    if (!read.ok) continue
    for (const [importer, deps] of read.importerDeps ?? []) {
      const declared = declaredDependencies(dir, importer, readManifest)
      if (declared === null) continue
      const stray = deps.find((dep) => !declared.installed.has(dep) && !declared.peers.has(dep) && !declared.runtimes.has(dep))
      if (stray !== undefined) return `the lockfile lists ${stray} for ${path.join(importer, 'package.json')}, which does not declare it (out of date, or damaged)`
    }
    if (read.kind !== 'yarn') continue
    for (const importer of read.importerDirs) {
      const declared = declaredDependencies(dir, importer, readManifest)
      if (declared === null) continue
      const missing = [...declared.installed].find(([dep, spec]) => !names.has(dep) && !UNLOCKED_SPECIFIERS.test(spec))
      if (missing !== undefined) return `the lockfile does not list ${missing[0]}, which ${path.join(importer, 'package.json')} declares (out of date, or damaged)`
    }
  }
  return null
}
