/**
 * A small, informative state file under `.scratch/` that records what a run did (the last full
 * gc, the last automatic sweep) for `scratch status`. Written atomically without fsync (it is
 * written inside installs and only informs), only into an existing bookkeeping directory (a root
 * that is not a store is left exactly as it was), never into a store of a newer format and never
 * over a file of a newer version; read as null when missing or damaged (docs/design.md, "State
 * versions").
 */
import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { bookkeepingDir } from '../runtime/layout'
import { formatHold } from '../runtime/store-mark'
import { readJsonFile, sealedJson, withoutFsync, writeStateFile, type JsonRead } from '../store/atomic'
import type { GcReport } from './report'

export interface OutcomeFile<T> {
  path(root: string): string
  /** Writes `record`; false, writing nothing, where it may not (see above). Never throws. */
  write(root: string, record: T): boolean
  /** The record, or null when none was written or the file is damaged or newer. */
  read(root: string): T | null
  /** Why the store must be left alone because of this file (a newer version wrote it), or undefined. */
  hold(root: string): string | undefined
}

/**
 * The file `name` of `version`, whose records pass `isValid`; `fields` copies a record's own
 * fields (without the file's `version` and `checksum`).
 */
export function outcomeFile<T extends object>(name: string, version: number, isValid: (value: unknown) => value is T, fields: (value: T) => T): OutcomeFile<T> {
  const file = (root: string): string => path.join(bookkeepingDir(root), name)
  const load = (root: string): JsonRead<T> => readJsonFile(file(root), isValid, [version])
  return {
    path: file,
    write(root, record) {
      try {
        if (fs.lstatSync(bookkeepingDir(root), { throwIfNoEntry: false })?.isDirectory() !== true) return false
        if (formatHold(root) !== undefined || load(root).state === 'newer') return false
        withoutFsync(() => writeStateFile(file(root), sealedJson({ version, ...record })))
        return true
      } catch {
        return false
      }
    },
    read(root) {
      try {
        const read = load(root)
        return read.state === 'ok' ? fields(read.value) : null
      } catch (err) {
        if (isErrno(err)) return null
        throw err
      }
    },
    hold(root) {
      const read = load(root)
      return read.state === 'newer' ? read.reason : undefined
    },
  }
}

/** What a run's report says it did, as both records keep it (a failed deletion is a warning too). */
export function reportOutcome(report: GcReport | null, warnings: string[] = []): { deleted: number; freedBytes: number; warnings: string[] } {
  const problems = [...(report?.warnings ?? []), ...warnings]
  for (const space of report?.spaces ?? []) if (space.action === 'failed') problems.push(`could not delete ${space.path}: ${space.reason}`)
  return { deleted: report?.spaces.filter((space) => space.action === 'deleted').length ?? 0, freedBytes: report?.freedBytes ?? 0, warnings: problems }
}
