/**
 * Why a run kept or deleted a space, as data (docs/design.md, "The gc rules" and "The report"):
 * the one union of reason codes, and the one place that renders them to the `reason` text.
 * The verdict and the plan return these; `--json` prints them as `because` beside `reason`.
 */
import { formatBytes } from '../bytes'
import { DAY_MS } from '../runtime/iso-time'

/** A live space: why it is kept alive. */
export type LiveBecause =
  | { code: 'owner-installed'; owner: string; project: string }
  | { code: 'caller-installed'; caller: string; project: string }
  | { code: 'project-unknown'; project: string }
  | { code: 'used-from-project'; project: string }
  | { code: 'unattributed-recent'; ageMs: number }
  | { code: 'untracked-recent'; ageMs: number }
  | { code: 'untracked-bad-mtime'; mtime: string }

/** An orphaned space: why nothing keeps it alive. */
export type OrphanBecause =
  | { code: 'untracked-stale' }
  | { code: 'projects-gone' }
  | { code: 'not-installed'; names: string[] }

/** Every reason a run gives for a space. */
export type Because =
  | LiveBecause
  | OrphanBecause
  | { code: 'grace'; until: string; orphan: OrphanBecause }
  | { code: 'max-age'; live: LiveBecause; ageMs: number; maxAgeMs: number }
  | { code: 'over-budget'; then: Because; storeBytes: number; budgetBytes: number }
  | { code: 'race-guard'; event: 'created' | 'used' }
  | { code: 'hold'; hold: string; then: Because }
  | { code: 'unreadable'; error: string; then: Because }

export type BecauseCode = Because['code']


/**
 * The one age formatter: `just now`, `5 min ago`, `3 h ago`, `12 days ago`. `coarse` (the reason
 * texts) says `less than an hour ago` below an hour, since records are kept at most once a day.
 */
export function formatAgo(ms: number, coarse = false): string {
  if (ms < 3_600_000) {
    if (coarse) return 'less than an hour ago'
    return ms < 60_000 ? 'just now' : `${Math.floor(ms / 60_000)} min ago`
  }
  if (ms < DAY_MS) return `${Math.floor(ms / 3_600_000)} h ago`
  const days = Math.floor(ms / DAY_MS)
  return `${days} day${days === 1 ? '' : 's'} ago`
}


/** The `reason` text of a reason code (what the table, the hooks' warnings and tests quote). */
export function renderBecause(because: Because): string {
  switch (because.code) {
    case 'owner-installed': return `owner ${because.owner} is installed in ${because.project}`
    case 'caller-installed': return `caller ${because.caller} is installed in ${because.project}`
    case 'project-unknown': return `used from ${because.project}, whose lockfile cannot be read (kept to be safe)`
    case 'used-from-project': return `used from ${because.project}`
    case 'unattributed-recent': return `used outside any project ${formatAgo(because.ageMs, true)}`
    case 'untracked-recent': return `untracked, modified ${formatAgo(because.ageMs, true)}`
    case 'untracked-bad-mtime': return `untracked, and its modification time (${because.mtime}) is impossible; kept to be safe`
    case 'untracked-stale': return 'untracked and unmodified for 7 days'
    case 'projects-gone': return 'no project that used it exists any more'
    case 'not-installed': return `${because.names.join(', ')} ${because.names.length === 1 ? 'is' : 'are'} not installed in any known project`
    case 'grace': return `${renderBecause(because.orphan)}; grace period until ${because.until}`
    case 'max-age': return `${renderBecause(because.live)}, but last used ${formatAgo(because.ageMs, true)} (older than --max-age)`
    case 'over-budget': return `over the size budget of ${formatBytes(because.budgetBytes)} (store: ${formatBytes(because.storeBytes)}), least recently used first; ${renderBecause(because.then)}`
    case 'race-guard': return because.event === 'created' ? 'created during this gc run' : 'used during this gc run'
    case 'hold': return `${renderBecause(because.then)} (not deleted: ${because.hold})`
    case 'unreadable': return `${renderBecause(because.then)}; cannot read it (${because.error}), so it is kept`
  }
}
