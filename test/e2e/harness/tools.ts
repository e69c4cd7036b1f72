import { execFileSync } from 'node:child_process'
import path from 'node:path'

/** The repository root (the package under test). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..')

/** Where provisioned tools and packed tarballs are kept: `$SCRATCH_E2E_CACHE`, else `<repo>/.cache/e2e`. */
export function e2eCacheDir(): string {
  const override = process.env.SCRATCH_E2E_CACHE
  return override !== undefined && override !== '' ? path.resolve(override) : path.join(repoRoot, '.cache', 'e2e')
}

/** A package manager binary the tests drive. */
export interface PackageManager {
  name: 'pnpm' | 'npm'
  /** The exact version, as the binary reports it. */
  version: string
  /** The major version, for the version-dependent settings. */
  major: number
  bin: string
}

function describe(name: PackageManager['name'], bin: string): PackageManager {
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } }).trim()
  return { name, version, major: Number(version.split('.')[0]), bin }
}

let cached: { pnpm10?: PackageManager; pnpm11?: PackageManager; pnpm12?: PackageManager; npm?: PackageManager } = {}

/** pnpm 10.34.9, the devDependency. */
export function pnpm10(): PackageManager {
  cached.pnpm10 ??= describe('pnpm', path.join(repoRoot, 'node_modules', '.bin', 'pnpm'))
  return cached.pnpm10
}

function provisioned(major: 11 | 12): PackageManager {
  const out = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'provision-pnpm.mjs'), '--json', '--only', String(major)], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SCRATCH_E2E_CACHE: e2eCacheDir() }, timeout: 300_000,
  })
  return describe('pnpm', (JSON.parse(out) as { bin: string }).bin)
}

/**
 * pnpm 11.28.6 (`@pnpm/exe`, with its own Node) and pnpm 12.21.0, installed into the e2e cache
 * by `scripts/provision-pnpm.mjs` (the same script `.ci/run` calls; it returns at once when the
 * binary is there).
 */
export function pnpm11(): PackageManager {
  cached.pnpm11 ??= provisioned(11)
  return cached.pnpm11
}

export function pnpm12(): PackageManager {
  cached.pnpm12 ??= provisioned(12)
  return cached.pnpm12
}

/** The system npm (11.x). */
export function npm(): PackageManager {
  cached.npm ??= describe('npm', 'npm')
  return cached.npm
}

/** Forgets the binaries found so far (for tests of the harness itself). */
export function resetTools(): void {
  cached = {}
}
