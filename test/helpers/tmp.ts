import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { removeTree } from '../../src/runtime/tree-remove'

const created: string[] = []

/**
 * A fresh empty directory under `os.tmpdir()`, realpath'd so it compares equal to resolved
 * paths (macOS links /var to /private/var). Removed by `removeTempDirs()`.
 */
export function tempDir(prefix = 'scratch-test-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)))
  created.push(dir)
  return dir
}

/**
 * Removes every directory `tempDir()` made so far; call it from `afterEach`/`afterAll`. Uses the
 * package's own iterative removal, so a test that leaves a 2,000-level tree behind cleans up too.
 */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) removeTree(dir)
}

/**
 * Every entry under `dir` as sorted relative paths with `/` separators, directories with a
 * trailing `/`; links are listed, never followed. A missing `dir` lists nothing.
 */
export function listTree(dir: string): string[] {
  const out: string[] = []
  const walk = (rel: string): void => {
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
      throw err
    }
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`
      if (entry.isDirectory()) {
        out.push(`${child}/`)
        walk(child)
      } else {
        out.push(child)
      }
    }
  }
  walk('')
  return out.sort()
}

export interface RunNodeOptions {
  /** Added to (and, with `undefined` values, removed from) the inherited environment. */
  env?: Record<string, string | undefined>
  cwd?: string
  /** Arguments after the script (`process.argv.slice(1)` for inline source). */
  args?: string[]
  /** Run inline source as an ES module (`--input-type=module`). */
  esm?: boolean
  timeoutMs?: number
}

export interface RunNodeResult {
  /** Exit code, or null when killed by a signal. */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

function childEnv(extra: RunNodeOptions['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  return env
}

function run(argv: string[], opts: RunNodeOptions): Promise<RunNodeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: opts.cwd, env: childEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 30_000,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

/** Runs inline JavaScript source in a real `node` child process (`node -e`). */
export function runNode(script: string, opts: RunNodeOptions = {}): Promise<RunNodeResult> {
  return run([...(opts.esm === true ? ['--input-type=module'] : []), '-e', script, '--', ...(opts.args ?? [])], opts)
}

/** Runs a script file in a real `node` child process. */
export function runNodeFile(file: string, opts: RunNodeOptions = {}): Promise<RunNodeResult> {
  return run([file, ...(opts.args ?? [])], opts)
}
