import { EARLIEST_TIME_MS } from '../runtime/access-log'
import { DAY_MS } from '../runtime/iso-time'
import type { SpaceUsage } from '../store/history'

/** Unattributed records keep a space alive this long (docs/design.md, "The gc rules"). */
export const UNATTRIBUTED_TTL_MS = 30 * DAY_MS
/** An untracked space modified this recently is kept (docs/design.md, "The gc rules"). */
export const UNTRACKED_TTL_MS = 7 * DAY_MS

/** The world a verdict is made in: which names and projects are alive, and the run's policy. */
export interface VerdictContext {
  /** Live package name → one project that uses it (for the reason text). */
  liveNames: ReadonlyMap<string, string>
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
  reason: string
  lastAccess: number
  /** The orphan mark to keep: undefined clears it. */
  mark: number | undefined
}

function ago(ms: number): string {
  const days = Math.floor(ms / DAY_MS)
  if (days >= 1) return `${days} day${days === 1 ? '' : 's'} ago`
  const hours = Math.floor(ms / 3_600_000)
  return hours >= 1 ? `${hours} h ago` : 'less than an hour ago'
}

/**
 * A time as the verdict may use it: one later than `now` (a clock that ran ahead) counts as now,
 * one before 2000 (a clock that reads 1970) is unknown (null) and proves no age at all.
 */
export function usableTime(ms: number, now: number): number | null {
  if (!Number.isFinite(ms) || ms < EARLIEST_TIME_MS) return null
  return Math.min(ms, now)
}

function liveReason(facts: SpaceFacts, ctx: VerdictContext): string | null {
  const { owner, usage } = facts
  if (owner !== null) {
    const user = ctx.liveNames.get(owner)
    if (user !== undefined) return `owner ${owner} is installed in ${user}`
    for (const caller of usage?.callers.keys() ?? []) {
      const callerUser = ctx.liveNames.get(caller)
      if (callerUser !== undefined) return `caller ${caller} is installed in ${callerUser}`
    }
  }
  for (const project of usage?.projects.keys() ?? []) {
    const status = ctx.projectStatus.get(project)
    if (status === 'unknown') return `used from ${project}, whose lockfile cannot be read (kept to be safe)`
    if (owner === null && status === 'present') return `used from ${project}`
  }
  const unattributed = usage?.unattributedLast == null ? null : usableTime(usage.unattributedLast, ctx.now)
  if (unattributed !== null && ctx.now - unattributed < UNATTRIBUTED_TTL_MS) {
    return `used outside any project ${ago(ctx.now - unattributed)}`
  }
  if (usage === undefined) {
    const mtime = usableTime(facts.mtimeMs, ctx.now)
    if (mtime === null) return `untracked, and its modification time (${new Date(facts.mtimeMs).toISOString()}) is impossible; kept to be safe`
    if (ctx.now - mtime < UNTRACKED_TTL_MS) return `untracked, modified ${ago(ctx.now - mtime)}`
  }
  return null
}

function orphanReason(facts: SpaceFacts): string {
  if (facts.usage === undefined) return 'untracked and unmodified for 7 days'
  if (facts.owner === null) return 'no project that used it exists any more'
  const users = [facts.owner, ...[...facts.usage.callers.keys()].filter((caller) => caller !== facts.owner)]
  return `${users.join(', ')} ${users.length === 1 ? 'is' : 'are'} not installed in any known project`
}

/**
 * The verdict (docs/design.md, "The gc rules") for one space: live or orphaned, and whether this run may delete it under
 * the grace period and `--max-age`. Pure: the race guard and "deletes nothing" rules are applied
 * by the caller, which knows about the run.
 */
export function judgeSpace(facts: SpaceFacts, ctx: VerdictContext): Verdict {
  // Reported as now when it lies in the future; an impossible time is reported as it is but never aged.
  const known = usableTime(facts.usage?.lastAccess ?? facts.mtimeMs, ctx.now)
  const lastAccess = known ?? facts.usage?.lastAccess ?? facts.mtimeMs
  const live = liveReason(facts, ctx)
  if (live !== null) {
    if (ctx.maxAgeMs !== undefined && known !== null && ctx.now - lastAccess > ctx.maxAgeMs) {
      return { verdict: 'live', remove: true, reason: `${live}, but last used ${ago(ctx.now - lastAccess)} (older than --max-age)`, lastAccess, mark: undefined }
    }
    return { verdict: 'live', remove: false, reason: live, lastAccess, mark: undefined }
  }
  const mark = facts.mark ?? ctx.now
  const reason = orphanReason(facts)
  if (ctx.now - mark >= ctx.graceMs) return { verdict: 'orphaned', remove: true, reason, lastAccess, mark }
  const until = new Date(mark + ctx.graceMs).toISOString()
  return { verdict: 'orphaned', remove: false, reason: `${reason}; grace period until ${until}`, lastAccess, mark }
}
