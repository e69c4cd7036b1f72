import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import type { LockfileRead } from '../lockfiles'

const DECLARING_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const

/** The dependency names an importer's package.json declares, or null when it cannot be read. */
function declaredDependencies(dir: string, importer: string): Set<string> | null {
  let manifest: unknown
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, importer, 'package.json'), 'utf8'))
  } catch (err) {
    if (err instanceof SyntaxError || isErrno(err, 'ENOENT', 'ENOTDIR', 'EACCES', 'EISDIR')) return null
    throw err
  }
  if (manifest === null || typeof manifest !== 'object') return null
  const declared = new Set<string>()
  for (const field of DECLARING_FIELDS) {
    const deps = (manifest as Record<string, unknown>)[field]
    if (deps !== null && typeof deps === 'object') for (const name of Object.keys(deps)) declared.add(name)
  }
  return declared
}

/**
 * Why lockfiles that parsed cleanly still cannot be trusted to list every package the project
 * uses, or null. Damage that leaves a well-formed file (a lost line, a changed byte) shows only
 * against the importers' package.json files:
 * - a lockfile that records each importer's direct dependencies (pnpm) must not record one its
 *   package.json does not declare — a changed name shows up this way. The other direction is
 *   not checked: pnpm runs `postuninstall` after writing the lockfile and before rewriting
 *   package.json, and that sweep must see the new names.
 * - a yarn.lock records no importers, so every dependency package.json declares must be in it.
 * npm and bun lockfiles record importers' dependencies and their readers check entries against them.
 */
export function manifestMismatch(dir: string, reads: LockfileRead[], names: ReadonlySet<string>): string | null {
  for (const read of reads) {
    if (!read.ok) continue
    for (const [importer, deps] of read.importerDeps ?? []) {
      const declared = declaredDependencies(dir, importer)
      if (declared === null) continue
      const stray = deps.find((dep) => !declared.has(dep))
      if (stray !== undefined) return `the lockfile lists ${stray} for ${path.join(importer, 'package.json')}, which does not declare it (out of date, or damaged)`
    }
    if (read.kind !== 'yarn') continue
    for (const importer of read.importerDirs) {
      const declared = declaredDependencies(dir, importer) ?? new Set<string>()
      const missing = [...declared].find((dep) => !names.has(dep))
      if (missing !== undefined) return `the lockfile does not list ${missing}, which ${path.join(importer, 'package.json')} declares (out of date, or damaged)`
    }
  }
  return null
}
