import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { readRegularFile, readRegularFileBuffer } from './file'
import { parsePackageJson, readPackageJson, type PackageJsonRead } from './package-json'
import { zipEntry } from './zip-entry'
import { isRecord, type UnresolvedDep } from './types'

/**
 * The real package names behind dependencies a yarn lockfile knows only by alias and location
 * (`even-tar@https://…/is-even-1.0.0.tgz`, git, `file:`): read from the installed package's own
 * `package.json`, looked for in
 * - `node_modules/<alias>` of the project and of each importer directory (hoisted or not),
 * - `.yarn/unplugged/<entry>/node_modules/<alias>` (berry's unplugged packages),
 * - the package location the PnP data (`.pnp.data.json`, or the state inside `.pnp.cjs`) gives
 *   for the alias: a directory, or a path inside a cache zip archive,
 * - for a `file:`/`link:`/`portal:` directory, that directory (relative to the workspace berry
 *   names in the specifier; for yarn 1, relative to each importer directory).
 *
 * Returns every name found, or `{ error }` naming the first dependency found nowhere: its real
 * name is unknown, so the project is unknown — a space is never deleted because its package was
 * installed under another name. A `package.json` that exists but cannot be read is an error too.
 */
export function resolveInstalledNames(projectDir: string, importerDirs: readonly string[], deps: readonly UnresolvedDep[]): string[] | { error: string } {
  if (deps.length === 0) return []
  const names = new Set<string>()
  let pnp: Map<string, string[]> | null | undefined
  let unplugged: string[] | undefined
  for (const { alias, specifier } of deps) {
    const candidates = importerDirs.map((dir) => path.join(projectDir, dir, 'node_modules', alias))
    unplugged ??= listDir(path.join(projectDir, '.yarn', 'unplugged'))
    for (const entry of unplugged) candidates.push(path.join(projectDir, '.yarn', 'unplugged', entry, 'node_modules', alias))
    pnp = pnp === undefined ? pnpLocations(projectDir) : pnp
    for (const location of pnp?.get(alias) ?? []) candidates.push(path.resolve(projectDir, location))
    const local = /^(file|link|portal):([^#]+?)(?:#|::|$)/.exec(specifier)
    if (local !== null && !local[2].endsWith('.tgz') && !local[2].endsWith('.tar.gz')) {
      // berry names the workspace a path is relative to; yarn 1 does not, so every importer's.
      const bases = specifier.includes('locator=') ? [locatorDir(specifier)] : importerDirs
      for (const base of bases) candidates.push(path.resolve(projectDir, base, local[2]))
    }
    // A `link:`/`portal:` target is a directory used in place, not an installed package: one
    // without a package.json has no package name to keep.
    let found = local !== null && local[1] !== 'file'
    for (const dir of candidates) {
      const read = readManifestAt(dir)
      if (!read.ok) {
        if (read.missing) continue
        return { error: read.reason }
      }
      if (typeof read.manifest.name === 'string') names.add(read.manifest.name)
      found = true
    }
    if (!found) {
      return { error: `the lockfile records ${alias} only as ${JSON.stringify(specifier)}, and no installed ${alias} says which package it is (run the install, then gc again)` }
    }
  }
  return [...names]
}

/**
 * The package.json of the package at `dir`: a directory, or a path inside a zip archive
 * (`…/even-tar-https-85e1f57372-10c0.zip/node_modules/even-tar/`), where yarn's PnP linker
 * leaves packages. A zip that cannot be read counts as missing.
 */
function readManifestAt(dir: string): PackageJsonRead {
  const zipAt = dir.indexOf(`.zip${path.sep}`)
  if (zipAt === -1) return readPackageJson(path.join(dir, 'package.json'))
  const archive = dir.slice(0, zipAt + '.zip'.length)
  const inner = `${dir.slice(zipAt + '.zip'.length + 1).split(path.sep).filter((s) => s !== '').join('/')}/package.json`
  const missing = { ok: false as const, missing: true, code: null, reason: `${archive}: no ${inner}` }
  const bytes = readRegularFileBuffer(archive)
  if (bytes === null) return missing
  const entry = zipEntry(bytes, inner)
  if (entry === null) return missing
  try {
    const manifest = parsePackageJson(entry.toString('utf8'))
    return isRecord(manifest) ? { ok: true, manifest } : { ok: false, missing: false, code: null, reason: `${archive}/${inner}: not a JSON object` }
  } catch {
    return { ok: false, missing: false, code: null, reason: `${archive}/${inner}: invalid JSON` }
  }
}

/** The workspace directory a berry `…::locator=<name>@workspace:<dir>` specifier is relative to; `.` without one. */
function locatorDir(specifier: string): string {
  const m = /[:&]locator=([^&#]+)/.exec(specifier)
  if (m === null) return '.'
  let locator: string
  try {
    locator = decodeURIComponent(m[1])
  } catch {
    return '.'
  }
  const at = locator.indexOf('@workspace:', 1)
  return at === -1 ? '.' : locator.slice(at + '@workspace:'.length)
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir)
  } catch (err) {
    if (isErrno(err)) return []
    throw err
  }
}

/** Alias → package locations from the PnP data, or null when there is none that can be read. */
function pnpLocations(projectDir: string): Map<string, string[]> | null {
  const state = pnpState(projectDir)
  if (state === null || !Array.isArray(state.packageRegistryData)) return null
  const locations = new Map<string, string[]>()
  for (const item of state.packageRegistryData) {
    if (!Array.isArray(item) || typeof item[0] !== 'string' || !Array.isArray(item[1])) continue
    for (const ref of item[1]) {
      const info: unknown = Array.isArray(ref) ? ref[1] : undefined
      if (!isRecord(info) || typeof info.packageLocation !== 'string') continue
      const list = locations.get(item[0]) ?? []
      list.push(info.packageLocation)
      locations.set(item[0], list)
    }
  }
  return locations
}

function pnpState(projectDir: string): Record<string, unknown> | null {
  const data = readPackageJson(path.join(projectDir, '.pnp.data.json'))
  if (data.ok) return data.manifest
  const cjs = readText(path.join(projectDir, '.pnp.cjs'))
  if (cjs === null) return null
  // yarn embeds the state as a single-quoted JS string; it escapes only `\` and `'` in it.
  const m = /const RAW_RUNTIME_STATE =\s*'((?:[^'\\]|\\[\s\S])*)'/.exec(cjs)
  if (m === null) return null
  try {
    // A backslash before a newline is a line continuation (yarn ends every line with one).
    const state: unknown = JSON.parse(m[1].replace(/\\([\s\S])/g, (_, c: string) => c === '\n' ? '' : c))
    return isRecord(state) ? state : null
  } catch {
    return null
  }
}

function readText(file: string): string | null {
  const read = readRegularFile(file)
  return read.ok ? read.text : null
}
