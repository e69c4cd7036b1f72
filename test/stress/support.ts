/** Shared pieces of the stress suite: a private build of the package, seeds, child processes, store checks. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { decodeLine } from '../../src/runtime/access-log'
import { scanSpaces } from '../../src/runtime/scan'
import { loadOrphanMarks } from '../../src/store/orphans'
import { loadRegistry } from '../../src/store/registry'
import { repoRoot } from '../helpers/dist'
import { tempDir } from '../helpers/tmp'
import { bookkeepingDir } from '../../src/runtime/layout'

export const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'stress')
export const CRASH_PRELOAD = path.join(FIXTURES, 'crash-after.cjs')

/** The built runtime and CLI, bundled from the current sources into a directory of this test file's own. */
export interface Snapshot { dir: string; index: string; cli: string }

/**
 * Bundles `src/index.ts` and the CLI the way `npm run build` does, into a private temp dir.
 * Other people rebuild `dist/` while the suite runs (the build starts by deleting it), so the
 * suite never runs the shared `dist/`.
 */
export async function buildSnapshot(): Promise<Snapshot> {
  const { build } = await import('esbuild')
  // The repository's one esbuild configuration, as scripts/build.mjs uses it: the other bundles
  // link to the runtime instance of index.cjs. The archive chunk is CommonJS here (the snapshot
  // is required, never imported); YAML stays bundled.
  const options = require('../../scripts/esbuild-options.cjs') as typeof import('../../scripts/esbuild-options.cjs')
  const shared = await options.runtimeLinks()
  const chunks = options.lazyChunks({ archive: './archive.cjs', yaml: false })
  const linked = options.sharedRuntime(shared, { load: 'require' })
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'scratch-stress-dist-'))
  const entries: { out: string; input: Partial<import('esbuild').BuildOptions>; plugins: import('esbuild').Plugin[] }[] = [
    { out: 'index.cjs', input: { stdin: { contents: `export * from './src/index.ts'\n${options.internalLines(shared)}`, resolveDir: repoRoot, loader: 'js' } }, plugins: [chunks] },
    { out: 'archive.cjs', input: { entryPoints: [path.join(repoRoot, 'src/archive/index.ts')] }, plugins: [options.sharedRuntime(shared, { load: 'global' })] },
    { out: 'cli.cjs', input: { entryPoints: [path.join(repoRoot, 'src/cli/main.ts')] }, plugins: [chunks, linked] },
    // Beside the runtime, as in dist/: the runtime starts it for background log compaction.
    { out: 'gc.cjs', input: { entryPoints: [path.join(repoRoot, 'src/gc/index.ts')] }, plugins: [chunks, linked] },
  ]
  await Promise.all(entries.map((entry) => build({
    ...options.common, ...entry.input, outfile: path.join(dir, entry.out), format: 'cjs', logLevel: 'error', plugins: entry.plugins,
  })))
  return { dir, index: path.join(dir, 'index.cjs'), cli: path.join(dir, 'cli.cjs') }
}

export function removeSnapshot(snapshot: Snapshot | undefined): void {
  if (snapshot !== undefined) fs.rmSync(snapshot.dir, { recursive: true, force: true })
}

/** The seed of a scenario: `$STRESS_SEED` when set (to replay a failure), else the scenario's fixed default. */
export function seedOf(fallback: number): number {
  const env = process.env.STRESS_SEED
  return env !== undefined && env !== '' ? Number(env) : fallback
}

/** A small seeded PRNG (mulberry32): the same seed gives the same run; the child-process workers use the same one. */
export { prng } from '../fixtures/stress/prng.cjs'

/** Prints one scenario's figures as one line (the suite's output that the README quotes). */
export function figure(line: string): void {
  console.log(line)
}

export interface ChildResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

/** Runs `node …args` with extra env; resolves when it exits (never rejects for a non-zero exit). */
export function runChild(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {}): { child: ChildProcess; done: Promise<ChildResult> } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
  for (const [key, value] of Object.entries(opts.env ?? {})) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  const started = Date.now()
  const child = spawn(process.execPath, args, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 60_000 })
  const done = new Promise<ChildResult>((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }))
  })
  return { child, done }
}

/** Runs the snapshot's `scratch` CLI against `store`. */
export function scratchCli(snapshot: Snapshot, store: string, args: string[], opts: { preload?: string; env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<ChildResult> {
  const argv = [...(opts.preload === undefined ? [] : ['-r', opts.preload]), snapshot.cli, ...args]
  return runChild(argv, { cwd: opts.cwd, env: { SCRATCHSPACE_DIR: store, ...opts.env } }).done
}

/** A fresh temp dir (removed by `removeTempDirs`). */
export function stressDir(): string {
  return tempDir('scratch-stress-')
}

/** Every file under `dir` → content; directories → `<dir>`, links → `-> target`. Links are never followed. */
export function treeOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (abs: string, rel: string): void => {
    for (const name of fs.readdirSync(abs).sort()) {
      const child = path.join(abs, name)
      const key = rel === '' ? name : `${rel}/${name}`
      const stat = fs.lstatSync(child)
      if (stat.isSymbolicLink()) out[key] = `-> ${fs.readlinkSync(child)}`
      else if (stat.isDirectory()) {
        out[key] = '<dir>'
        walk(child, key)
      } else out[key] = fs.readFileSync(child, 'utf8')
    }
  }
  walk(dir, '')
  return out
}

/** The spaces on disk as `owner/key` → their tree. */
export function spacesOnDisk(store: string): Map<string, Record<string, string>> {
  const spaces = new Map<string, Record<string, string>>()
  for (const space of scanSpaces(store)) spaces.set(`${space.owner ?? '_global'}/${space.key}`, space.isLink ? { '': `-> ${fs.readlinkSync(space.path)}` } : treeOf(space.path))
  return spaces
}

/**
 * What crashed or failed writers may leave in a store: trash entries, `.tmp` files and stale-lock
 * asides in the bookkeeping dir, the lock itself, and `.…tmp-…` / `.trash-…` entries in namespaces.
 */
export function leftovers(store: string): string[] {
  const found: string[] = []
  const list = (dir: string): string[] => {
    try {
      return fs.readdirSync(dir)
    } catch {
      return []
    }
  }
  const book = bookkeepingDir(store)
  for (const name of list(path.join(book, 'trash'))) found.push(`.scratch/trash/${name}`)
  for (const name of list(book)) {
    if (name === 'lock' || name.endsWith('.tmp') || name.includes('stale-lock') || name.startsWith('.')) found.push(`.scratch/${name}`)
  }
  const namespaces: string[] = []
  for (const name of list(store)) {
    if (name.startsWith('@')) for (const inner of list(path.join(store, name))) namespaces.push(`${name}/${inner}`)
    else if (!name.startsWith('.')) namespaces.push(name)
  }
  for (const ns of namespaces) {
    for (const name of list(path.join(store, ns))) if (name.startsWith('.')) found.push(`${ns}/${name}`)
  }
  return found
}

/** Every line of every access-log file (live, rotated segments, compacted), and how many fail to decode. */
export function logHealth(store: string): { files: number; lines: number; damaged: number } {
  const book = bookkeepingDir(store)
  let files = 0
  let lines = 0
  let damaged = 0
  for (const name of fs.existsSync(book) ? fs.readdirSync(book) : []) {
    if (!/^access\..*log$/.test(name)) continue
    files++
    for (const line of fs.readFileSync(path.join(book, name), 'utf8').split('\n')) {
      if (line === '') continue
      lines++
      if (decodeLine(line) === null) damaged++
    }
  }
  return { files, lines, damaged }
}

/** The state files as the gc reads them: `ok`, `missing` or `damaged`. */
export function stateFiles(store: string): { registry: string; marks: string } {
  return { registry: loadRegistry(store).state, marks: loadOrphanMarks(store).state }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Polls `done` every 50 ms until it holds (true) or `timeoutMs` passes (false). */
export async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > until) return false
    await sleep(50)
  }
  return true
}

/** The unprivileged user the permission tests switch to (setpriv). */
export const NOBODY = 65534

/** Why the tests cannot run a process as {@link NOBODY} here (not root, no setpriv), or null when they can. */
export function cannotDropPrivileges(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to switch to an unprivileged user'
  try {
    execFileSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'true'], { stdio: 'pipe' })
    return null
  } catch (err) {
    return `setpriv failed: ${String(err)}`
  }
}
