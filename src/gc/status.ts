/**
 * The store at a glance (`scratch status`, docs/design.md, "Status"): its root and format, its
 * size and spaces, its projects by status, the last full gc and the last automatic sweep, and
 * when the periodic upkeep is due. Judges like `scratch list` (a dry run: no lock, no change).
 */
import fs from 'node:fs'
import path from 'node:path'
import { UPKEEP_EVERY_MS, UPKEEP_STAMP } from '../runtime/compaction-trigger'
import { autoGcEnabled } from '../runtime/env-switch'
import { bookkeepingDir, FORMAT_FILE, STORE_FORMAT } from '../runtime/layout'
import { currentRoot } from '../runtime/root'
import { readStoreFormat, storeMark } from '../runtime/store-mark'
import { readLastGc, type LastGc } from './last-gc'
import { readLastSweep, type LastSweep } from './last-sweep'
import { runGc } from './run'

/** `scratch status --json` (the contract's keys first; `exists`, `lastGcRun`, `upkeep` are extra). */
export interface StoreStatus {
  root: string
  /** The store format on disk; for a store not made yet, the one this version would write. */
  format: number
  /** False when the root does not exist yet or is empty: nothing was ever stored. */
  exists: boolean
  bytes: number
  spaces: number
  projects: { present: number; unknown: number; gone: number }
  /** When the last full gc ran (ISO), or null. */
  lastGc: string | null
  lastSweep: LastSweep | null
  /** The last full gc's outcome. */
  lastGcRun: LastGc | null
  /** The periodic upkeep: off by `SCRATCHSPACE_AUTO_GC=0`, else due at the first space created after `due`. */
  upkeep: { enabled: boolean; due: string | null }
  /** Judging problems (damaged files, unknown projects' reasons are in `scratch list`). */
  warnings: string[]
}

function mtimeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs
  } catch {
    return undefined
  }
}

/**
 * The status of the store at `root` (default: the current one). A missing or empty root is an
 * empty store; another program's directory throws `ERR_SCRATCH_NOT_A_STORE`. Reads only.
 */
export async function storeStatus(opts: { root?: string; env?: NodeJS.ProcessEnv } = {}): Promise<StoreStatus> {
  const root = opts.root ?? currentRoot()
  // Refuses a foreign root before reading anything else (ERR_SCRATCH_NOT_A_STORE).
  // The budget plays no part in what status shows (a bad SCRATCHSPACE_MAX_SIZE is gc's to refuse).
  const report = await runGc({ root, dryRun: true, maxSizeBytes: null })
  const exists = storeMark(root) === 'marked'
  const format = readStoreFormat(root)
  const projects = { present: 0, unknown: 0, gone: 0 }
  for (const project of report.projects) projects[project.status]++
  const lastGcRun = exists ? readLastGc(root) : null
  const book = bookkeepingDir(root)
  const since = mtimeOf(path.join(book, UPKEEP_STAMP)) ?? mtimeOf(path.join(book, FORMAT_FILE))
  return {
    root,
    format: format.state === 'ok' ? format.format : STORE_FORMAT,
    exists,
    bytes: report.spaces.reduce((sum, space) => sum + space.bytes, 0),
    spaces: report.spaces.length,
    projects,
    lastGc: lastGcRun?.at ?? null,
    lastSweep: exists ? readLastSweep(root) : null,
    lastGcRun,
    upkeep: { enabled: autoGcEnabled(opts.env), due: since === undefined ? null : new Date(since + UPKEEP_EVERY_MS).toISOString() },
    warnings: report.warnings,
  }
}
