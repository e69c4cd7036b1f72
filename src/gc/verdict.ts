import { EARLIEST_TIME_MS } from '../runtime/access-log'
import { DAY_MS } from '../runtime/iso-time'
import type { SpaceUsage } from '../store/history'
import type { LiveBecause, OrphanBecause, Because } from './because'
import type { LiveNames } from './live-names'

/** Unattributed records keep a space alive this long (docs/design.md, "The gc rules"). */
const UNATTRIBUTED_TTL_MS = 30 * DAY_MS
/** An untracked space modified this recently is kept (docs/design.md, "The gc rules"). */
const UNTRACKED_TTL_MS = 7 * DAY_MS

/** The world a verdict is made in: which names and projects are alive, and the run's policy. */
export interface VerdictContext {
  /** Live package name → one project that uses it (for the reason text). */
  liveNames: LiveNames
  projectStatus: ReadonlyMap<string, 'present' | 'unknown' | 'gone'>
  now: number
  graceMs: number
  maxAgeMs?: number
}

export interface SpaceFacts {
  owner: string | null
  usage: SpaceUsage | undefined
  mtimeMs: number
  /** Previous orphan mark (epoch ms), if any. */
  mark: number | undefined
}

export interface Verdict {
  verdict: 'live' | 'orphaned'
  remove: boolean
  /** Why (rendered to text by the report: see because.ts). */
  because: Because
  lastAccess: number
  /** The orphan mark to keep: undefined clears it. */
  mark: number | undefined
}

/**
 * A time as the verdict may use it: one later than `now` (a clock that ran ahead) counts as now,
 * one before 2000 (a clock that reads 1970) is unknown (null) and proves no age at all.
 */
function usableTime(ms: number, now: number): number | null {
  if (!Number.isFinite(ms) || ms < EARLIEST_TIME_MS) return null
  return Math.min(ms, now)
}

function liveBecause(facts: SpaceFacts, ctx: VerdictContext): LiveBecause | null {
  const { owner, usage } = facts
  if (owner !== null) {
    const user = ctx.liveNames.get(owner)
    if (user !== undefined) return { code: 'owner-installed', owner, project: user }
    for (const caller of usage?.callers.keys() ?? []) {
      const callerUser = ctx.liveNames.get(caller)
      if (callerUser !== undefined) return { code: 'caller-installed', caller, project: callerUser }
    }
  }
  for (const project of usage?.projects.keys() ?? []) {
    const status = ctx.projectStatus.get(project)
    if (status === 'unknown') return { code: 'project-unknown', project }
    if (owner === null && status === 'present') return { code: 'used-from-project', project }
  }
  const unattributed = usage?.unattributedLast == null ? null : usableTime(usage.unattributedLast, ctx.now)
  if (unattributed !== null && ctx.now - unattributed < UNATTRIBUTED_TTL_MS) {
    return { code: 'unattributed-recent', ageMs: ctx.now - unattributed }
  }
  if (usage === undefined) {
    const mtime = usableTime(facts.mtimeMs, ctx.now)
    if (mtime === null) return { code: 'untracked-bad-mtime', mtime: new Date(facts.mtimeMs).toISOString() }
    if (ctx.now - mtime < UNTRACKED_TTL_MS) return { code: 'untracked-recent', ageMs: ctx.now - mtime }
  }
  return null
}

function orphanBecause(facts: SpaceFacts): OrphanBecause {
  if (facts.usage === undefined) return { code: 'untracked-stale' }
  if (facts.owner === null) return { code: 'projects-gone' }
  return { code: 'not-installed', names: [facts.owner, ...[...facts.usage.callers.keys()].filter((caller) => caller !== facts.owner)] }
}

/**
 * The verdict (docs/design.md, "The gc rules") for one space: live or orphaned, and whether this
 * run may delete it under the grace period and `--max-age`, with the reason as data. Pure: the
 * race guard, the size budget and "deletes nothing" are applied by the plan (plan.ts).
 */
export function judgeSpace(facts: SpaceFacts, ctx: VerdictContext): Verdict {
  // Reported as now when it lies in the future; an impossible time is reported as it is but never aged.
  const known = usableTime(facts.usage?.lastAccess ?? facts.mtimeMs, ctx.now)
  const lastAccess = known ?? facts.usage?.lastAccess ?? facts.mtimeMs
  const live = liveBecause(facts, ctx)
  if (live !== null) {
    if (ctx.maxAgeMs !== undefined && known !== null && ctx.now - lastAccess > ctx.maxAgeMs) {
      return { verdict: 'live', remove: true, because: { code: 'max-age', live, ageMs: ctx.now - lastAccess, maxAgeMs: ctx.maxAgeMs }, lastAccess, mark: undefined }
    }
    return { verdict: 'live', remove: false, because: live, lastAccess, mark: undefined }
  }
  const mark = facts.mark ?? ctx.now
  const orphan = orphanBecause(facts)
  if (ctx.now - mark >= ctx.graceMs) return { verdict: 'orphaned', remove: true, because: orphan, lastAccess, mark }
  return { verdict: 'orphaned', remove: false, because: { code: 'grace', until: new Date(mark + ctx.graceMs).toISOString(), orphan }, lastAccess, mark }
}
