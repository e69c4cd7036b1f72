import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { parsePackageJson } from '../lockfiles/package-json'
import { writeFileAtomic } from '../store/atomic'

/** A `package.json` as read, with what it takes to write it back in the same style. */
export interface Manifest {
  file: string
  data: Record<string, unknown>
  /** The indentation of its first nested line (`'\t'`, `'    '`…); two spaces when it has none. */
  indent: string
  eol: '\n' | '\r\n'
  finalNewline: boolean
}

/** Reads `<dir>/package.json`; null when there is none. Throws on unreadable or invalid JSON. */
export function readManifest(dir: string): Manifest | null {
  const file = path.join(dir, 'package.json')
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return null
    throw err
  }
  const data: unknown = parsePackageJson(text)
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new SyntaxError(`${file} is not a JSON object`)
  return {
    file,
    data: data as Record<string, unknown>,
    indent: /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ',
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    finalNewline: /\n$/.test(text),
  }
}

/** Writes `manifest.data` back atomically, keeping key order, indentation and line endings. */
export function writeManifest(manifest: Manifest): void {
  let text = JSON.stringify(manifest.data, null, manifest.indent)
  if (manifest.eol === '\r\n') text = text.replace(/\n/g, '\r\n')
  if (manifest.finalNewline) text += manifest.eol
  writeFileAtomic(manifest.file, text)
}

/** The `scripts` map of a manifest, if it has one. */
export function scriptsOf(manifest: Manifest): Record<string, unknown> | undefined {
  const scripts = manifest.data.scripts
  return scripts !== null && typeof scripts === 'object' && !Array.isArray(scripts) ? scripts as Record<string, unknown> : undefined
}

/** Whether `name` is one of the manifest's own dependencies (any kind but peer). */
export function dependsOn(manifest: Manifest, name: string): boolean {
  return ['dependencies', 'devDependencies', 'optionalDependencies'].some((field) => {
    const deps = manifest.data[field]
    return deps !== null && typeof deps === 'object' && Object.hasOwn(deps, name)
  })
}
