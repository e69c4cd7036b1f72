import fs from 'node:fs'
import path from 'node:path'
import { ScratchError, isErrno } from '../errors'
import { parsePackageJson } from '../lockfiles/package-json'
import { writeFileAtomic } from '../store/atomic'
import { readRegularFile } from '../lockfiles/file'

/** A `package.json` as read, with what it takes to write it back in the same style. */
export interface Manifest {
  file: string
  data: Record<string, unknown>
  /** The indentation of its first nested line (`'\t'`, `'    '`…); `''` for one-line JSON. */
  indent: string
  /** It started with a byte order mark (kept). */
  bom: boolean
  eol: '\n' | '\r\n'
  finalNewline: boolean
  /** Its permission bits (e.g. `0o644`), kept on write. */
  mode: number
}

/** Reads `<dir>/package.json`; null when there is none. Throws on unreadable or invalid JSON. */
export function readManifest(dir: string): Manifest | null {
  const file = path.join(dir, 'package.json')
  let text: string
  let mode: number
  try {
    mode = fs.statSync(file).mode & 0o7777
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return null
    throw err
  }
  // Only a regular file is read: a FIFO or a device there must not block or fill memory.
  const read = readRegularFile(file)
  if (!read.ok) {
    if (read.code === 'ENOENT' || read.code === 'ENOTDIR') return null
    throw new ScratchError('ERR_SCRATCH_USAGE', `Cannot read ${file}: ${read.reason}`, { hint: 'package.json must be a regular file this user can read.' })
  }
  text = read.text
  const data: unknown = parsePackageJson(text)
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new SyntaxError(`${file} is not a JSON object`)
  return {
    file,
    data: data as Record<string, unknown>,
    indent: /^([ \t]+)\S/m.exec(text)?.[1] ?? (text.trim().includes('\n') ? '  ' : ''),
    bom: text.startsWith('\uFEFF'),
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    finalNewline: /\n$/.test(text),
    mode,
  }
}

/**
 * Writes `manifest.data` back atomically (a temp file beside it, fsync, rename), keeping key
 * order, indentation, line endings and the file's mode (a temp file is created 0600, and the
 * umask must not narrow a 0644 package.json either).
 */
export function writeManifest(manifest: Manifest): void {
  let text = JSON.stringify(manifest.data, null, manifest.indent)
  if (manifest.eol === '\r\n') text = text.replace(/\n/g, '\r\n')
  if (manifest.finalNewline) text += manifest.eol
  if (manifest.bom) text = `\uFEFF${text}`
  writeFileAtomic(manifest.file, text, manifest.mode)
}


/**
 * The mode a file written into the project gets: an existing file's own, else 0644 less the
 * umask — the project's files are committed and read by everyone who checks it out.
 */
export function projectFileMode(file: string): number {
  const mode = fs.statSync(file, { throwIfNoEntry: false })?.mode
  return mode === undefined ? 0o644 & ~process.umask() : mode & 0o7777
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
