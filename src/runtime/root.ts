import { AsyncLocalStorage } from 'node:async_hooks'
import path from 'node:path'
import { nodeOs } from './node-os'
import { notWritable } from './store-root'

/**
 * What the store root depends on; passed explicitly so tests can fake platforms and homes.
 * `cwd` and `homedir` are read only when the result needs them (getters, for the process's own).
 */
export interface RootInputs {
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  cwd: string
  homedir: string
}

/**
 * The store root for the given inputs, always absolute:
 * `$SCRATCHSPACE_DIR` (a relative value resolves against `INIT_CWD`, else `cwd`); else
 * Linux/BSD `$XDG_CACHE_HOME/scratchspace` (only if absolute, per the XDG spec) or `~/.cache/scratchspace`;
 * macOS `~/Library/Caches/scratchspace`; Windows `%LOCALAPPDATA%\scratchspace\Cache`.
 */
export function resolveRoot(inputs: RootInputs): string {
  const { env, platform } = inputs
  const p = platform === 'win32' ? path.win32 : path.posix
  const override = env.SCRATCHSPACE_DIR
  if (override !== undefined && override !== '') {
    // An absolute POSIX override needs no base, so the cwd is not looked up (Windows keeps the
    // base: a rooted path without a drive takes the cwd's).
    if (platform !== 'win32' && p.isAbsolute(override)) return p.resolve(override)
    return p.resolve(env.INIT_CWD !== undefined && env.INIT_CWD !== '' ? env.INIT_CWD : inputs.cwd, override)
  }
  if (platform === 'darwin') return p.join(inputs.homedir, 'Library', 'Caches', 'scratchspace')
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA !== undefined && env.LOCALAPPDATA !== '' ? env.LOCALAPPDATA : p.join(inputs.homedir, 'AppData', 'Local')
    return p.join(local, 'scratchspace', 'Cache')
  }
  const xdg = env.XDG_CACHE_HOME
  return p.join(xdg !== undefined && p.isAbsolute(xdg) ? xdg : p.join(inputs.homedir, '.cache'), 'scratchspace')
}

// The default root is computed once per value of SCRATCHSPACE_DIR: reading one env variable
// keeps the warm getScratch path cheap while still honouring a test or script that changes it.
let cachedFor: string | undefined | null = null
let cachedRoot = ''

let overrides: AsyncLocalStorage<string> | undefined

/** The root in force for the current async context: a `withScratchDirectory` override, else the environment's. */
export function currentRoot(): string {
  const scoped = overrides?.getStore()
  if (scoped !== undefined) return scoped
  const override = process.env.SCRATCHSPACE_DIR
  if (override !== cachedFor) {
    // The cwd and the home directory are system calls (and node:os a module to load): getters,
    // so only a root that depends on them looks them up (docs/design.md, "The first call").
    cachedRoot = resolveRoot({
      env: process.env,
      platform: process.platform,
      get cwd() {
        // A relative override in a deleted cwd: a ScratchError, not the raw errno of uv_cwd.
        try {
          return process.cwd()
        } catch (err) {
          throw notWritable(`SCRATCHSPACE_DIR ${override}: the cwd is gone`, err, 'resolve the relative')
        }
      },
      get homedir() { return nodeOs().homedir() },
    })
    cachedFor = override
  }
  return cachedRoot
}

/**
 * Runs `fn` with the store root set to `dir` (made absolute against the cwd), for that call and
 * everything async it starts, and nothing else: concurrent and nested overrides do not leak
 * into each other (Scratch.jl's override is a process-global). The access log follows the root.
 */
export function withScratchDirectory<T>(dir: string, fn: () => T): T {
  // Created on first use; the module itself is a builtin Node has already loaded (a static
  // import keeps the ESM entry free of `require`, so bundlers can follow it).
  overrides ??= new AsyncLocalStorage<string>()
  return overrides.run(path.resolve(dir), fn)
}
