// The library code every version of `example-compiler` shares: compiled output kept in a space
// per version line, `compiled-<major>.<minor>` (versionedKey, default granularity 'minor').
// Patch releases of one minor line share a space (their output is compatible); a new minor
// version gets a fresh one, and the old one is left for gc once that version is uninstalled.
import fs from 'node:fs'
import path from 'node:path'
import { ensureScratch, versionedKey } from 'pnpm-plugin-scratch'

/**
 * The compiled-output space of the package `meta` belongs to (pass `import.meta`), created and
 * filled on first use. Resolves to `{ name, version, key, dir }`.
 */
export async function compiledSpace(meta) {
  const pkg = JSON.parse(fs.readFileSync(new URL('./package.json', meta.url), 'utf8'))
  const key = versionedKey('compiled', pkg.version) // '1.4.2' -> 'compiled-1.4'
  const dir = await ensureScratch(key, meta, (tmp) => {
    fs.writeFileSync(path.join(tmp, 'built-by.txt'), `${pkg.name}@${pkg.version}\n`)
  })
  return { name: pkg.name, version: pkg.version, key, dir }
}
