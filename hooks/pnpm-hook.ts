/**
 * The pnpm plugin: loaded by the root `pnpmfile.cjs`, either because the package is a
 * config dependency (`pnpm add --config pnpm-plugin-scratch`), or through the project's
 * `.pnpmfile.cjs` that `scratch init` writes (see docs/design.md, "The pnpm bridge"), or because
 * the `pnpmfile` setting points at it. After every resolution it registers the project with the package names the new
 * lockfile lists and sweeps the scratch spaces of packages the project no longer uses.
 *
 * pnpm 10/11 call these hooks in-process; pnpm ≥ 12.8 calls them in a `node` worker that speaks
 * NDJSON on stdout, so nothing here may print to stdout: all output goes through `ctx.log`.
 * Nothing here may fail an install either: every problem becomes one warning line.
 */
import { importerNames, recordLastSweep, scopedSweep, sweepRecord, type GcReport } from '../src/gc'
import { namesFromPnpmLockfileObject } from '../src/lockfiles'
import { autoGcEnabled, messageOf, PREFIX, summaryLine, warningLine } from './hook-lines'
import { installedConfigDependencies } from '../src/lockfiles/pnpm-config'

/** The parts of pnpm's hook contexts this plugin reads; everything is optional, pnpm versions differ. */
interface PreResolutionContext { lockfileDir?: unknown }
interface HookContext { log?: (message: string) => void }

// pnpm calls preResolution and then afterAllResolved for one install in the same process (pnpm 10:
// pnpm itself; pnpm 12: one hooks worker per install), so the directory can wait here.
let lockfileDir: string | undefined

function projectDir(): string {
  if (lockfileDir !== undefined) return lockfileDir
  const initCwd = process.env.INIT_CWD
  return initCwd !== undefined && initCwd !== '' ? initCwd : process.cwd()
}

function preResolution(ctx: PreResolutionContext | undefined): void {
  try {
    if (typeof ctx?.lockfileDir === 'string' && ctx.lockfileDir !== '') lockfileDir = ctx.lockfileDir
  } catch {
    // A context pnpm shaped differently: afterAllResolved falls back to INIT_CWD / the cwd.
  }
}

/**
 * How long the sweep removes before it hands the rest to a worker thread: about what starting the
 * worker costs in pnpm 10/11, which have loaded `node:worker_threads` by then, so small removals
 * and fast disks never start one (docs/design.md, "Removing after the sweep").
 */
const HAND_OVER_AFTER_MS = 1

/**
 * Whether pnpm runs the hooks in its own process, which goes on with the install and waits for
 * its threads before it exits (pnpm 10 and 11: `process.argv` holds pnpm's command), rather than
 * in a `node -e` worker it kills as soon as the hook has answered (pnpm 12: `process.argv` is the
 * executable alone). Only the first may leave removing the swept spaces until after the hook
 * returns (docs/design.md, "Removing after the sweep"); a host this cannot tell is treated as
 * the second, which costs time, never disk.
 */
function hostKeepsRunning(): boolean {
  return process.argv.length > 1
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
  const sweeping = autoGcEnabled()
  // What `scratch status` shows later (pnpm output scrolls away); never throws.
  const record = (report: GcReport | null, warning?: string): void => {
    if (sweeping) recordLastSweep(sweepRecord(projectDir(), report, warning === undefined ? [] : [warning], Date.now()))
  }
  // Names it cannot establish mean no sweep: one warning, shown now and kept for later.
  const notSwept = (why: string): void => {
    const warning = `${why}; scratch spaces not swept`
    log(`${PREFIX} warning: ${warning}`)
    record(null, warning)
  }
  try {
    const read = namesFromPnpmLockfileObject(lockfile)
    if (!read.ok) { notSwept(`cannot read the resolved lockfile (${read.reason})`); return lockfile }
    const dir = projectDir()
    const names = new Set(read.names)
    const own = importerNames(dir, read.importerDirs)
    if (!Array.isArray(own)) { notSwept(`cannot read a workspace member (${own.error})`); return lockfile }
    for (const name of own) names.add(name)
    // Config dependencies are installed too, but the in-memory lockfile leaves them out.
    const config = installedConfigDependencies(dir)
    if (!Array.isArray(config)) { notSwept(`cannot read the config dependencies (${config.error})`); return lockfile }
    for (const name of config) names.add(name)
    const report = scopedSweep({ projectDir: dir, names, source: 'hook', registerOnly: !sweeping, removeLaterAfterMs: hostKeepsRunning() ? HAND_OVER_AFTER_MS : undefined })
    for (const line of [summaryLine(report), warningLine(report)]) if (line !== null) log(line)
    record(report)
  } catch (err) {
    log(`${PREFIX} warning: scratch spaces not swept: ${messageOf(err)}`)
    record(null, `scratch spaces not swept: ${messageOf(err)}`)
  }
  return lockfile
}

export const hooks = { preResolution, afterAllResolved }
