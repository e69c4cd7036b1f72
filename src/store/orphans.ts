import path from 'node:path'
import { bookkeepingDir } from '../runtime/layout'
import { readJsonFile, sealedJson, writeStateFile, type JsonRead } from './atomic'

/** Space id → when the gc first found it orphaned (epoch ms). Drives the grace period. */
export interface OrphanMarks { version: 1; marks: Record<string, number> }

function marksPath(root: string): string {
  return path.join(bookkeepingDir(root), 'orphans.json')
}

function isMarks(value: unknown): value is OrphanMarks {
  if (value === null || typeof value !== 'object') return false
  // Always written sealed (see sealedJson): marks without their checksum were damaged.
  const { version, marks, checksum } = value as Partial<OrphanMarks> & { checksum?: unknown }
  return version === 1 && typeof checksum === 'string' && marks !== null && typeof marks === 'object' &&
    Object.values(marks).every((time) => typeof time === 'number')
}

/**
 * The marks on disk: ok, missing, damaged (rebuilt empty; that run deletes nothing) or newer
 * (a version other than 1: never rewritten, and the run deletes nothing).
 */
export function loadOrphanMarks(root: string): JsonRead<OrphanMarks> {
  return readJsonFile(marksPath(root), isMarks, [1])
}

export function saveOrphanMarks(root: string, marks: OrphanMarks): void {
  writeStateFile(marksPath(root), sealedJson(marks))
}
