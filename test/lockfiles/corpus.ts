import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

import { readWantedLockfile } from '@pnpm/lockfile.fs'
import { parseSyml } from '@yarnpkg/parsers'
import * as yaml from 'yaml'

import { kindFromFileName } from '../../src/lockfiles'
import { CASES, FIXTURES } from './fixtures'

// @yarnpkg/lockfile ships no types.
const yarnClassic = require('@yarnpkg/lockfile') as { parse(text: string): { type: string; object: Record<string, unknown> } }

/** The real lockfiles of public repositories, gzip-compressed; see corpus/SOURCES.json. */
export const CORPUS = path.join(FIXTURES, 'corpus')

export interface CorpusEntry {
  /** A label: `corpus/<dir>` or the tool-written fixture's path. */
  label: string
  /** The lockfile's base name (`pnpm-lock.yaml`, `yarn.lock`, …). */
  lockfile: string
  /** The lockfile text. */
  text: string
  /** Other files of the project (relative path → content), e.g. a root package.json. */
  files: Record<string, string>
}

interface Source { dir: string; files: string[] }

/** Every corpus lockfile, and every lockfile written by the real tools (test/fixtures/lockfiles). */
export function corpusEntries(): CorpusEntry[] {
  const sources = (JSON.parse(fs.readFileSync(path.join(CORPUS, 'SOURCES.json'), 'utf8')) as { lockfiles: Source[] }).lockfiles
  const entries: CorpusEntry[] = sources.map(({ dir, files }) => {
    const unzip = (file: string): string => zlib.gunzipSync(fs.readFileSync(path.join(CORPUS, dir, `${file}.gz`))).toString('utf8')
    const others: Record<string, string> = {}
    for (const file of files.slice(1)) others[file] = unzip(file)
    return { label: `corpus/${dir}`, lockfile: files[0], text: unzip(files[0]), files: others }
  })
  for (const { file } of CASES) {
    if (file.includes('node_modules_')) continue
    const dir = path.dirname(path.join(FIXTURES, file))
    entries.push({ label: file, lockfile: path.basename(file), text: fs.readFileSync(path.join(FIXTURES, file), 'utf8'), files: projectFiles(dir) })
  }
  return entries
}

/** The files of a fixture project (package.json files, workspace yaml, installed manifests kept as node_modules_). */
function projectFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  const visit = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`
      if (entry.isDirectory()) visit(child)
      else if (kindFromFileName(entry.name) === null || child.startsWith('node_modules_/')) files[child.replace(/^node_modules_\//, 'node_modules/')] = fs.readFileSync(path.join(dir, child), 'utf8')
    }
  }
  visit('')
  return files
}

// ---- the oracles: names from each format's official parser, the name rules written out here ----

/** `name@range` → name (the `@` after position 0); a scoped name keeps its leading `@`. */
function nameOf(descriptor: string): string {
  return descriptor.slice(0, descriptor.indexOf('@', 1))
}

/** The target of an `npm:` alias range (`npm:is-odd@^0.1.2` → is-odd), else null. */
function npmAliasTarget(range: string): string | null {
  // berry writes every registry range `npm:<range>`; only `npm:<name>@<range>` is an alias.
  return range.startsWith('npm:') && range.indexOf('@', 5) !== -1 ? nameOf(range.slice(4)) : null
}

function addDescriptor(names: Set<string>, descriptor: string): void {
  const name = nameOf(descriptor)
  names.add(name)
  const target = npmAliasTarget(descriptor.slice(name.length + 1))
  if (target !== null) names.add(target)
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const
type Deps = Record<string, unknown>

/** Names in a pnpm document parsed by `yaml` (v6 keys `/name@version`, or an entry `name`; v9/v13 `name@version`). */
function pnpmDocumentNames(doc: Record<string, unknown>, names: Set<string>): void {
  const v6 = String(doc.lockfileVersion).startsWith('6.')
  for (const section of ['packages', 'snapshots'] as const) {
    for (const [key, entry] of Object.entries((doc[section] ?? {}) as Record<string, { name?: string }>)) {
      if (!v6) names.add(nameOf(key))
      else names.add(key.startsWith('/') ? nameOf(key.slice(1)) : entry.name!)
    }
  }
  const importers = (doc.importers ?? doc.projects ?? (v6 ? { '.': doc } : {})) as Record<string, Record<string, unknown>>
  for (const importer of Object.values(importers)) {
    if (typeof importer.name === 'string') names.add(importer.name)
    for (const field of [...DEP_FIELDS, 'configDependencies', 'packageManagerDependencies']) {
      for (const [alias, spec] of Object.entries((importer[field] ?? {}) as Deps)) {
        names.add(alias)
        const version = typeof spec === 'string' ? spec : (spec as { version: string }).version
        const real = version.startsWith('npm:') ? nameOf(version.slice(4)) : version.startsWith('/') ? nameOf(version.slice(1)) : /^[0-9]|^(link|file|runtime):/.test(version) ? null : version.includes('@') ? nameOf(version) : null
        if (real !== null) names.add(real)
      }
    }
  }
}

/** The official parser's names for a lockfile. `dir` holds the lockfile on disk (for @pnpm/lockfile.fs). */
export async function oracleNames(entry: CorpusEntry, dir: string): Promise<Set<string>> {
  const names = new Set<string>()
  const { lockfile, text } = entry
  if (lockfile === 'pnpm-lock.yaml') {
    const docs = yaml.parseAllDocuments(text).map((doc) => doc.toJS() as Record<string, unknown>)
    const main = docs[docs.length - 1]
    if (String(main.lockfileVersion) === '9.0') {
      // pnpm's own reader for the main document; the documents before it (config dependencies) it does not return.
      const read = await readWantedLockfile(dir, { ignoreIncompatible: false })
      if (read === null) throw new Error('no lockfile')
      pnpmDocumentNames({ lockfileVersion: '9.0', packages: read.packages, importers: read.importers }, names)
      for (const doc of docs.slice(0, -1)) pnpmDocumentNames(doc, names)
    } else {
      // @pnpm/lockfile.fs returns no packages for v6 without an error; `yaml` is the oracle there.
      for (const doc of docs) pnpmDocumentNames(doc, names)
    }
  } else if (lockfile === 'yarn.lock' && text.includes('# yarn lockfile v1')) {
    const parsed = yarnClassic.parse(text)
    if (parsed.type !== 'success') throw new Error(`@yarnpkg/lockfile: ${parsed.type}`)
    for (const key of Object.keys(parsed.object)) addDescriptor(names, key)
  } else if (lockfile === 'yarn.lock') {
    for (const [key, value] of Object.entries(parseSyml(text) as Record<string, { resolution?: string }>)) {
      if (key === '__metadata') continue
      for (const descriptor of [...key.split(', '), value.resolution!]) addDescriptor(names, descriptor)
    }
  } else if (lockfile === 'package-lock.json' || lockfile === 'npm-shrinkwrap.json') {
    const lock = JSON.parse(text) as { packages?: Record<string, { name?: string }>; dependencies?: Record<string, NpmDep> }
    for (const [location, pkg] of Object.entries(lock.packages ?? {})) {
      const at = location.lastIndexOf('node_modules/')
      if (at !== -1) names.add(location.slice(at + 'node_modules/'.length))
      if (typeof pkg.name === 'string') names.add(pkg.name)
    }
    const walk = (deps: Record<string, NpmDep>): void => {
      for (const [name, dep] of Object.entries(deps)) {
        names.add(name)
        const target = npmAliasTarget(dep.version ?? '')
        if (target !== null) names.add(target)
        walk(dep.dependencies ?? {})
      }
    }
    walk(lock.dependencies ?? {})
  } else if (lockfile === 'bun.lock') {
    // JSONC (trailing commas): YAML's flow syntax reads it as is.
    const lock = yaml.parse(text) as { workspaces: Record<string, Record<string, unknown>>; packages: Record<string, [string]> }
    for (const workspace of Object.values(lock.workspaces)) {
      if (typeof workspace.name === 'string') names.add(workspace.name)
      for (const field of [...DEP_FIELDS, 'peerDependencies']) {
        for (const [alias, spec] of Object.entries((workspace[field] ?? {}) as Record<string, string>)) {
          names.add(alias)
          const target = npmAliasTarget(spec)
          if (target !== null) names.add(target)
        }
      }
    }
    for (const [location, [resolved]] of Object.entries(lock.packages)) {
      const parts = location.split('/')
      names.add(parts.length >= 2 && parts[parts.length - 2].startsWith('@') ? parts.slice(-2).join('/') : parts[parts.length - 1])
      names.add(nameOf(resolved))
    }
  } else if (lockfile === 'deno.lock') {
    const lock = JSON.parse(text) as { specifiers?: Record<string, string>; npm?: Record<string, { dependencies?: string[] }> }
    for (const [key, pkg] of Object.entries(lock.npm ?? {})) {
      names.add(nameOf(key))
      for (const dep of pkg.dependencies ?? []) if (dep.includes('@npm:')) addDescriptor(names, dep)
    }
    for (const specifier of Object.keys(lock.specifiers ?? {})) if (specifier.startsWith('npm:')) names.add(nameOf(specifier.slice(4)))
  } else {
    throw new Error(`no oracle for ${lockfile}`)
  }
  return names
}

interface NpmDep { version?: string; dependencies?: Record<string, NpmDep> }

/** Writes the entry as a project in `dir`. */
export function writeProject(entry: CorpusEntry, dir: string): void {
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, entry.lockfile), entry.text)
  for (const [file, content] of Object.entries(entry.files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), content)
  }
}
