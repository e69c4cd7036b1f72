import fs from 'node:fs'
import path from 'node:path'
import type * as Yaml from 'yaml'
import { ScratchError } from '../errors'
import { YARN_CLASSIC_HEADER } from '../lockfiles/yarn-classic'
import { writeFileAtomic } from '../store/atomic'
import { projectFileMode } from './manifest'
import { composeYarnPlugin, describePluginFile, type PluginSource } from './yarn-plugin-file'
import { readRegularFile } from '../lockfiles/file'

/**
 * yarn berry (2+) wiring: the package's yarn plugin, written into the project and listed in
 * `.yarnrc.yml`, exactly what `yarn plugin import ./plugin.cjs` writes. yarn reads
 * `.yarnrc.yml` and loads its plugins before it installs anything, so the plugin must be a file
 * of the project itself: a path into `node_modules` (absent on a fresh clone, and always absent
 * under Plug'n'Play) would fail the first `yarn install`. The file is composed from the gc
 * bundle the package ships (./yarn-plugin-file.ts) and committed with the project, like every
 * plugin yarn imports (docs/design.md, "yarn berry").
 */

/** Where the plugin lives in a project, relative to its root, with `/` as yarn writes it. */
export const YARN_PLUGIN_PATH = '.yarn/plugins/pnpm-plugin-scratch.cjs'
export const YARNRC = '.yarnrc.yml'

/** One edit wiring made or would make (`after: null`: removed). */
export interface WiringChange {
  file: string
  field: string
  before: string | null
  after: string | null
}

export interface WiringOptions extends PluginSource {
  /** Report what would change without writing it. */
  dryRun?: boolean
}

/** Whether a yarn project uses berry (2+) or classic (1.x): `packageManager`, then yarn.lock, then the rc file. */
export function yarnFlavor(dir: string, packageManager: unknown): 'berry' | 'classic' {
  const major = typeof packageManager === 'string' ? /^\s*yarn@(\d+)/.exec(packageManager)?.[1] : undefined
  if (major !== undefined) return Number(major) >= 2 ? 'berry' : 'classic'
  let head = ''
  try {
    const fd = fs.openSync(path.join(dir, 'yarn.lock'), 'r')
    try {
      const buffer = Buffer.alloc(512)
      head = buffer.subarray(0, fs.readSync(fd, buffer, 0, 512, 0)).toString('utf8')
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    // No readable yarn.lock: the rc files decide.
  }
  if (head.includes(YARN_CLASSIC_HEADER)) return 'classic'
  if (/^__metadata:/m.test(head)) return 'berry'
  if (fs.existsSync(path.join(dir, YARNRC))) return 'berry'
  return fs.existsSync(path.join(dir, '.yarnrc')) ? 'classic' : 'berry'
}

function readOptional(file: string): string | null {
  const read = readRegularFile(file)
  if (read.ok) return read.text
  if (read.code === 'ENOENT') return null
  throw new ScratchError('ERR_SCRATCH_USAGE', `Cannot read ${file}: ${read.reason}`, { hint: 'Make it a regular file this user can read, then run scratch init again.' })
}

// Only `parseDocument` and the Document's own methods: the package bundles the parsing half of
// yaml, whose Document can still edit and print itself.
function loadYaml(): Pick<typeof Yaml, 'parseDocument'> {
  return require('yaml') as typeof Yaml
}

/** `.yarnrc.yml` as a YAML document (comments kept) and its plain value, or a usage error naming the file. */
function parseRc(file: string, text: string): { doc: Yaml.Document; plugins: unknown[] | null } {
  const doc = loadYaml().parseDocument(text)
  const fail = (why: string): ScratchError => new ScratchError('ERR_SCRATCH_USAGE', `Cannot read ${file}: ${why}`, {
    hint: 'Fix the file (yarn cannot read it either), then run scratch init again.',
  })
  if (doc.errors.length > 0) throw fail(doc.errors[0].message.split('\n')[0])
  const value: unknown = doc.toJS()
  if (value === null || value === undefined) return { doc, plugins: null }
  if (typeof value !== 'object' || Array.isArray(value)) throw fail('not a YAML mapping')
  const plugins = (value as Record<string, unknown>).plugins
  if (plugins === null || plugins === undefined) return { doc, plugins: null }
  if (!Array.isArray(plugins)) throw fail('"plugins" is not a list')
  return { doc, plugins }
}

/** The index of our entry in the `plugins` list (a `{ path }` map or a bare path), or -1. */
function pluginIndex(plugins: unknown[] | null): number {
  return (plugins ?? []).findIndex((item) => {
    const value = item !== null && typeof item === 'object' ? (item as Record<string, unknown>).path : item
    return typeof value === 'string' && path.posix.normalize(value.replace(/\\/g, '/')) === YARN_PLUGIN_PATH
  })
}

/**
 * Wires `dir` for yarn berry: writes (or updates) the plugin file at {@link YARN_PLUGIN_PATH} and
 * adds `plugins: [{ path }]` to `.yarnrc.yml`, keeping the file's other settings and comments.
 * Idempotent: a file byte-identical to what this package composes and an existing entry are
 * left alone; any other file there (an older version's, an edited one) is replaced. Returns what changed.
 */
export function wire(dir: string, opts: WiringOptions = {}): WiringChange[] {
  const projectDir = path.resolve(dir)
  const changes: WiringChange[] = []
  const plugin = composeYarnPlugin(opts)
  const source = plugin.text
  // Everything is read and checked before anything is written.
  const rcFile = path.join(projectDir, YARNRC)
  const { doc, plugins } = parseRc(rcFile, readOptional(rcFile) ?? '')
  const target = path.join(projectDir, ...YARN_PLUGIN_PATH.split('/'))
  const current = readOptional(target)
  if (current !== source) {
    changes.push({ file: target, field: '(file)', before: current === null ? null : describePluginFile(current), after: `the yarn plugin of pnpm-plugin-scratch ${plugin.version}` })
    if (opts.dryRun !== true) {
      fs.mkdirSync(path.dirname(target), { recursive: true })
      writeFileAtomic(target, source, projectFileMode(target))
    }
  }
  if (pluginIndex(plugins) === -1) {
    if (plugins === null) doc.set('plugins', doc.createNode([{ path: YARN_PLUGIN_PATH }]))
    else doc.addIn(['plugins'], doc.createNode({ path: YARN_PLUGIN_PATH }))
    changes.push({ file: rcFile, field: 'plugins', before: null, after: `- path: ${YARN_PLUGIN_PATH}` })
    if (opts.dryRun !== true) writeFileAtomic(rcFile, doc.toString(), projectFileMode(rcFile))
  }
  return changes
}

function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir)
  } catch {
    // Not empty (other plugins, yarn's cache…) or already gone: left as it is.
  }
}

/**
 * Undoes {@link wire}: removes the `.yarnrc.yml` entry (and the `plugins` key, or the whole file,
 * when nothing else is left in it) and the plugin copy, plus `.yarn/plugins` and `.yarn` when
 * they end up empty. Returns what changed; nothing when `dir` was not wired.
 */
export function unwire(dir: string, opts: { dryRun?: boolean } = {}): WiringChange[] {
  const projectDir = path.resolve(dir)
  const changes: WiringChange[] = []
  const rcFile = path.join(projectDir, YARNRC)
  const text = readOptional(rcFile)
  if (text !== null) {
    const { doc, plugins } = parseRc(rcFile, text)
    const index = pluginIndex(plugins)
    if (index !== -1) {
      if (plugins?.length === 1) doc.delete('plugins')
      else doc.deleteIn(['plugins', index])
      changes.push({ file: rcFile, field: 'plugins', before: `- path: ${YARN_PLUGIN_PATH}`, after: null })
      const rest = doc.toString()
      if (opts.dryRun !== true) {
        if (/^\s*(\{\}\s*)?$/.test(rest) && doc.commentBefore == null && doc.comment == null) fs.rmSync(rcFile, { force: true })
        else writeFileAtomic(rcFile, rest, projectFileMode(rcFile))
      }
    }
  }
  const target = path.join(projectDir, ...YARN_PLUGIN_PATH.split('/'))
  if (fs.existsSync(target)) {
    changes.push({ file: target, field: '(file)', before: 'the yarn plugin of pnpm-plugin-scratch', after: null })
    if (opts.dryRun !== true) {
      fs.rmSync(target, { force: true })
      removeIfEmpty(path.dirname(target))
      removeIfEmpty(path.dirname(path.dirname(target)))
    }
  }
  return changes
}

/** What `scratch init` tells a yarn berry user once the plugin is wired. */
export const YARN_BERRY_NOTES: readonly string[] = Object.freeze([
  `yarn loads the plugin from ${YARN_PLUGIN_PATH} (listed in .yarnrc.yml): after every \`yarn install\`, \`yarn add\`, ` +
    '`yarn remove` and `yarn up`, workspaces included, it sweeps the scratch spaces of packages the project no longer uses. ' +
    'Commit both files, as with any yarn plugin. After upgrading pnpm-plugin-scratch, run scratch init again to update the copy.',
])
