import { accessRecord, appendRecord } from './access-log'
import { switchOn } from './env-switch'
import { DAY_MS, isoTime } from './iso-time'
import { detectProject } from './project'
import type { OwnerInfo } from './owner'


// space path → caller name ('' for none) → when this process last appended a record for it.
// Keyed path first, with the path string locateSpace keeps per space, so the warm check builds
// no key string.
const lastRecorded = new Map<string, Map<string, number>>()

/** False when `SCRATCHSPACE_TRACK_ACCESS` is `0`, `false`, `no` or `off` (any case). */
export function trackingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return switchOn(env.SCRATCHSPACE_TRACK_ACCESS)
}

/** True when this process recorded `caller`'s use of `spacePath` less than 24 h ago. */
export function recentlyRecorded(caller: OwnerInfo | null, spacePath: string, now: number): boolean {
  const last = lastRecorded.get(spacePath)?.get(caller?.name ?? '')
  return last !== undefined && now - last < DAY_MS
}

/** Forgets every record of `spacePath`, so its next use is recorded again (after a delete). */
export function forgetSpace(spacePath: string): void {
  lastRecorded.delete(spacePath)
}

export interface AccessInput {
  root: string
  spaceId: string
  spacePath: string
  owner: OwnerInfo | null
  caller: OwnerInfo | null
  now: number
}

/**
 * Appends the access record of one use (docs/design.md, "Access records and projects") and remembers it for the 24 h dedupe.
 * The project is the caller's (or, for a caller given by name only, the cwd's).
 * Throws the system error when the log cannot be written.
 */
export function recordAccess({ root, spaceId, spacePath, owner, caller, now }: AccessInput): void {
  appendRecord(root, accessRecord({
    space: spaceId,
    owner: owner?.name ?? null,
    ...(owner?.version !== undefined && { ownerVersion: owner.version }),
    caller: caller?.name ?? null,
    ...(caller?.version !== undefined && { callerVersion: caller.version }),
    project: detectProject(caller?.dir),
    time: isoTime(now),
    pid: process.pid,
  }))
  let byCaller = lastRecorded.get(spacePath)
  if (byCaller === undefined) lastRecorded.set(spacePath, byCaller = new Map())
  byCaller.set(caller?.name ?? '', now)
}
