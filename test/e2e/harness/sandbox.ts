import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * One test's world: a fresh temp dir outside the repository (so nothing resolves into the repo's
 * own node_modules) with its own HOME, XDG dirs, PNPM_HOME, npm cache and scratch store.
 */
export interface Sandbox {
  dir: string
  /** `SCRATCHSPACE_DIR`: `<dir>/scratch`, not created up front. */
  store: string
  /** The environment every command runs with; nothing of the caller's leaks in but PATH and locale. */
  env: NodeJS.ProcessEnv
}

const created: string[] = []

// Passed through from the caller; everything else (npm_*, INIT_CWD, CI, PNPM_*, SCRATCHSPACE_*) stays out.
const PASSED = ['LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SystemRoot', 'COMSPEC']

/** A fresh sandbox; `removeSandboxes()` deletes it. */
export function createSandbox(prefix = 'scratch-e2e-'): Sandbox {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)))
  created.push(dir)
  const home = path.join(dir, 'home')
  fs.mkdirSync(home)
  const env: NodeJS.ProcessEnv = {}
  for (const key of PASSED) if (process.env[key] !== undefined) env[key] = process.env[key]
  Object.assign(env, {
    // `node` first: pnpm 12 spawns its hook worker as `node`, npm runs scripts with it.
    PATH: [path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter),
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    PNPM_HOME: path.join(home, '.local', 'share', 'pnpm'),
    npm_config_cache: path.join(home, '.npm'),
    npm_config_userconfig: path.join(home, '.npmrc'),
    npm_config_globalconfig: path.join(home, 'global-npmrc'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    SCRATCHSPACE_DIR: path.join(dir, 'scratch'),
    NO_COLOR: '1',
  })
  return { dir, store: env.SCRATCHSPACE_DIR as string, env }
}

/** Removes every sandbox made so far; call from `afterEach`/`afterAll`. */
export function removeSandboxes(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
}

export interface RunOptions {
  cwd: string
  /** Added to (and, with `undefined` values, removed from) the sandbox environment. */
  env?: Record<string, string | undefined>
  timeoutMs?: number
}

export interface RunResult {
  /** The command line, for failure messages. */
  command: string
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** stdout and stderr together, as a person would have seen them. */
  output: string
}

/**
 * Runs a command asynchronously (the local registry answers from this same process, so a
 * synchronous spawn would deadlock) in the sandbox environment.
 */
export function run(sandbox: Sandbox, bin: string, args: string[], opts: RunOptions): Promise<RunResult> {
  const env = { ...sandbox.env }
  for (const [key, value] of Object.entries(opts.env ?? {})) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 120_000 })
    let stdout = ''
    let stderr = ''
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; output += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; output += chunk })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ command: [path.basename(bin), ...args].join(' '), code, signal, stdout, stderr, output }))
  })
}

/** Throws with the command's output unless it exited 0; returns the result otherwise. */
export function expectSuccess(result: RunResult): RunResult {
  if (result.code !== 0) {
    throw new Error(`\`${result.command}\` exited ${result.code ?? result.signal}:\n${result.output}`)
  }
  return result
}

/** Runs inline JavaScript with the sandbox's `node`, from `cwd` (e.g. `require('fixture-a')` in a project). */
export function runNode(sandbox: Sandbox, source: string, opts: RunOptions): Promise<RunResult> {
  return run(sandbox, process.execPath, ['-e', source], opts)
}
