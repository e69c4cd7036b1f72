/**
 * The pnpm plugin (SPEC §6): loaded by the root `pnpmfile.cjs`, either because the package is a
 * config dependency (`pnpm add --config pnpm-plugin-scratch`) or because the `pnpmfile` setting
 * points at it. After every resolution it registers the project with the package names the new
 * lockfile lists and sweeps the scratch spaces of packages the project no longer uses.
 *
 * pnpm 10/11 call these hooks in-process; pnpm ≥ 12.8 calls them in a `node` worker that speaks
 * NDJSON on stdout, so nothing here may print to stdout: all output goes through `ctx.log`.
 * Nothing here may fail an install either: every problem becomes one warning line.
 */
import { importerNames, scopedSweep, type GcReport } from '../src/gc'
import { formatBytes } from '../src/cli/format'
import { namesFromPnpmLockfileObject } from '../src/lockfiles'
import { installedConfigDependencies } from '../src/lockfiles/pnpm-config'

/** The parts of pnpm's hook contexts this plugin reads; everything is optional, pnpm versions differ. */
interface PreResolutionContext { lockfileDir?: unknown }
interface HookContext { log?: (message: string) => void }

const PREFIX = 'pnpm-plugin-scratch:'

// pnpm calls preResolution and then afterAllResolved for one install in the same process (pnpm 10:
// pnpm itself; pnpm 12: one hooks worker per install), so the directory can wait here.
let lockfileDir: string | undefined

/** False when `SCRATCHSPACE_AUTO_GC` is `0`, `false`, `no` or `off` (any case): register, sweep nothing. */
function autoGcEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.SCRATCHSPACE_AUTO_GC
  return value === undefined || !['0', 'false', 'no', 'off'].includes(value.trim().toLowerCase())
}

function projectDir(): string {
  if (lockfileDir !== undefined) return lockfileDir
  const initCwd = process.env.INIT_CWD
  return initCwd !== undefined && initCwd !== '' ? initCwd : process.cwd()
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return 'code' in err && typeof err.code === 'string' && !err.message.includes(err.code) ? `${err.message} (${err.code})` : err.message
  return String(err)
}

/** The one line the sweep is worth telling the user about, or null when it did nothing visible. */
function summaryLine(report: GcReport): string | null {
  const deleted = report.spaces.filter((space) => space.action === 'deleted')
  if (deleted.length === 0) return null
  const owners = [...new Set(deleted.map((space) => space.owner ?? '(global)'))].sort()
  return `${PREFIX} removed ${deleted.length} scratch space${deleted.length === 1 ? '' : 's'} ` +
    `(${formatBytes(report.freedBytes)}) of packages no longer installed: ${owners.join(', ')}`
}

/** The one warning line for what went wrong, or null when nothing did. */
function warningLine(report: GcReport): string | null {
  const problems = [...report.warnings]
  for (const space of report.spaces) {
    if (space.action === 'failed') problems.push(`could not delete ${space.path}: ${space.reason}`)
  }
  return problems.length === 0 ? null : `${PREFIX} warning: ${problems.join('; ')}`
}

function preResolution(ctx: PreResolutionContext | undefined): void {
  try {
    if (typeof ctx?.lockfileDir === 'string' && ctx.lockfileDir !== '') lockfileDir = ctx.lockfileDir
  } catch {
    // A context pnpm shaped differently: afterAllResolved falls back to INIT_CWD / the cwd.
  }
}

function afterAllResolved<T>(lockfile: T, ctx: HookContext | undefined): T {
  const log = (line: string): void => {
    try {
      if (typeof ctx?.log === 'function') ctx.log(line)
      else process.stderr.write(`${line}\n`)
    } catch {
      // Nowhere left to report to; the install matters more.
    }
  }
  try {
    const read = namesFromPnpmLockfileObject(lockfile)
    if (!read.ok) {
      log(`${PREFIX} warning: cannot read the resolved lockfile (${read.reason}); scratch spaces not swept`)
      return lockfile
    }
    const dir = projectDir()
    const names = new Set(read.names)
    const own = importerNames(dir, read.importerDirs)
    if (!Array.isArray(own)) {
      log(`${PREFIX} warning: cannot read a workspace member (${own.error}); scratch spaces not swept`)
      return lockfile
    }
    for (const name of own) names.add(name)
    // Config dependencies are installed too, but the in-memory lockfile leaves them out.
    const config = installedConfigDependencies(dir)
    if (!Array.isArray(config)) {
      log(`${PREFIX} warning: cannot read the config dependencies (${config.error}); scratch spaces not swept`)
      return lockfile
    }
    for (const name of config) names.add(name)
    const report = scopedSweep({ projectDir: dir, names, source: 'hook', registerOnly: !autoGcEnabled() })
    for (const line of [summaryLine(report), warningLine(report)]) if (line !== null) log(line)
  } catch (err) {
    log(`${PREFIX} warning: scratch spaces not swept: ${messageOf(err)}`)
  }
  return lockfile
}

export const hooks = { preResolution, afterAllResolved }
