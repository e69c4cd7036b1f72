// Every rule of docs/design.md "The gc rules", one row each, against the pure verdict and plan:
// no store, no npm, no clock. The same rules run end to end in rules/scoped/race tests.
import { renderBecause, type Because } from '../../src/gc/because'
import { planSweep, type PlanEntry } from '../../src/gc/plan'
import { judgeSpace, type SpaceFacts, type VerdictContext } from '../../src/gc/verdict'
import type { SpaceUsage } from '../../src/store/history'

const DAY = 86_400_000
const NOW = Date.parse('2026-06-01T12:00:00Z')
const P = '/work/p'
const Q = '/work/q'

function usage(parts: { owner?: string | null; callers?: Record<string, number>; projects?: Record<string, number>; unattributed?: number | null }): SpaceUsage {
  const callers = new Map(Object.entries(parts.callers ?? {}).map(([name, ago]) => [name, NOW - ago]))
  const projects = new Map(Object.entries(parts.projects ?? {}).map(([dir, ago]) => [dir, NOW - ago]))
  const unattributedLast = parts.unattributed == null ? null : NOW - parts.unattributed
  const times = [...callers.values(), ...projects.values(), ...(unattributedLast === null ? [] : [unattributedLast])]
  const owner = parts.owner === undefined ? 'pkg-a' : parts.owner
  return { id: `${owner ?? '_global'}/k`, owner, callers, projects, unattributedLast, lastAccess: Math.max(...times), latest: new Map() }
}

function ctx(parts: Partial<VerdictContext> & { live?: Record<string, string>; status?: Record<string, 'present' | 'unknown' | 'gone'> } = {}): VerdictContext {
  return {
    liveNames: new Map(Object.entries(parts.live ?? {})), projectStatus: new Map(Object.entries(parts.status ?? {})),
    now: NOW, graceMs: parts.graceMs ?? 0, maxAgeMs: parts.maxAgeMs,
  }
}

interface Row { rule: string; facts: SpaceFacts; ctx: VerdictContext; verdict: 'live' | 'orphaned'; remove: boolean; because: Because; reason: RegExp | string }

const rows: Row[] = [
  { rule: 'the owner is a live name', facts: { owner: 'pkg-a', usage: usage({ projects: { [P]: DAY } }), mtimeMs: NOW, mark: undefined },
    ctx: ctx({ live: { 'pkg-a': P }, status: { [P]: 'present' } }), verdict: 'live', remove: false,
    because: { code: 'owner-installed', owner: 'pkg-a', project: P }, reason: `owner pkg-a is installed in ${P}` },
  { rule: 'a recorded caller is a live name', facts: { owner: 'pkg-a', usage: usage({ callers: { 'pkg-b': DAY }, projects: { [P]: DAY } }), mtimeMs: NOW, mark: undefined },
    ctx: ctx({ live: { 'pkg-b': Q }, status: { [P]: 'gone' } }), verdict: 'live', remove: false,
    because: { code: 'caller-installed', caller: 'pkg-b', project: Q }, reason: `caller pkg-b is installed in ${Q}` },
  { rule: 'fail closed: used from a project whose lockfile cannot be read', facts: { owner: 'pkg-a', usage: usage({ projects: { [P]: 90 * DAY } }), mtimeMs: NOW, mark: undefined },
    ctx: ctx({ status: { [P]: 'unknown' } }), verdict: 'live', remove: false,
    because: { code: 'project-unknown', project: P }, reason: /whose lockfile cannot be read \(kept to be safe\)/ },
  { rule: 'a global space lives while a project that used it is present', facts: { owner: null, usage: usage({ owner: null, projects: { [P]: 90 * DAY } }), mtimeMs: NOW, mark: undefined },
    ctx: ctx({ status: { [P]: 'present' } }), verdict: 'live', remove: false, because: { code: 'used-from-project', project: P }, reason: `used from ${P}` },
  { rule: 'a global space of gone projects is orphaned', facts: { owner: null, usage: usage({ owner: null, projects: { [P]: DAY } }), mtimeMs: NOW, mark: undefined },
    ctx: ctx({ status: { [P]: 'gone' } }), verdict: 'orphaned', remove: true, because: { code: 'projects-gone' }, reason: 'no project that used it exists any more' },
  { rule: 'unattributed records of the last 30 days keep it', facts: { owner: 'pkg-a', usage: usage({ unattributed: 29 * DAY }), mtimeMs: NOW, mark: undefined },
    ctx: ctx(), verdict: 'live', remove: false, because: { code: 'unattributed-recent', ageMs: 29 * DAY }, reason: 'used outside any project 29 days ago' },
  { rule: 'unattributed records older than 30 days do not', facts: { owner: 'pkg-a', usage: usage({ unattributed: 31 * DAY }), mtimeMs: NOW, mark: undefined },
    ctx: ctx(), verdict: 'orphaned', remove: true, because: { code: 'not-installed', names: ['pkg-a'] }, reason: 'pkg-a is not installed in any known project' },
  { rule: 'an unattributed record from the future counts as now', facts: { owner: 'pkg-a', usage: usage({ unattributed: -400 * DAY }), mtimeMs: NOW, mark: undefined },
    ctx: ctx({ maxAgeMs: DAY }), verdict: 'live', remove: false, because: { code: 'unattributed-recent', ageMs: 0 }, reason: 'used outside any project less than an hour ago' },
  { rule: 'an untracked space modified within 7 days is kept', facts: { owner: 'pkg-a', usage: undefined, mtimeMs: NOW - 6 * DAY, mark: undefined },
    ctx: ctx(), verdict: 'live', remove: false, because: { code: 'untracked-recent', ageMs: 6 * DAY }, reason: 'untracked, modified 6 days ago' },
  { rule: 'an untracked space unmodified for 7 days is orphaned', facts: { owner: 'pkg-a', usage: undefined, mtimeMs: NOW - 8 * DAY, mark: undefined },
    ctx: ctx(), verdict: 'orphaned', remove: true, because: { code: 'untracked-stale' }, reason: 'untracked and unmodified for 7 days' },
  { rule: 'an untracked space with an impossible mtime is kept, also under --max-age', facts: { owner: 'pkg-a', usage: undefined, mtimeMs: Date.parse('1970-01-02T00:00:00Z'), mark: undefined },
    ctx: ctx({ maxAgeMs: DAY }), verdict: 'live', remove: false, because: { code: 'untracked-bad-mtime', mtime: '1970-01-02T00:00:00.000Z' }, reason: /is impossible; kept to be safe/ },
  { rule: 'owner and callers not installed anywhere', facts: { owner: 'pkg-a', usage: usage({ callers: { 'pkg-a': DAY, 'pkg-b': DAY }, projects: { [P]: DAY } }), mtimeMs: NOW, mark: undefined },
    ctx: ctx({ status: { [P]: 'present' } }), verdict: 'orphaned', remove: true, because: { code: 'not-installed', names: ['pkg-a', 'pkg-b'] }, reason: 'pkg-a, pkg-b are not installed in any known project' },
  { rule: 'an orphan inside its grace period is kept, with its mark', facts: { owner: 'pkg-a', usage: usage({ projects: { [P]: DAY } }), mtimeMs: NOW, mark: NOW - DAY },
    ctx: ctx({ graceMs: 7 * DAY }), verdict: 'orphaned', remove: false,
    because: { code: 'grace', until: new Date(NOW + 6 * DAY).toISOString(), orphan: { code: 'not-installed', names: ['pkg-a'] } }, reason: /; grace period until 2026-06-07T12:00:00.000Z$/ },
  { rule: 'an orphan past its grace period is deleted', facts: { owner: 'pkg-a', usage: usage({ projects: { [P]: DAY } }), mtimeMs: NOW, mark: NOW - 8 * DAY },
    ctx: ctx({ graceMs: 7 * DAY }), verdict: 'orphaned', remove: true, because: { code: 'not-installed', names: ['pkg-a'] }, reason: 'pkg-a is not installed in any known project' },
  { rule: '--max-age deletes a live space unused for longer', facts: { owner: 'pkg-a', usage: usage({ projects: { [P]: 100 * DAY } }), mtimeMs: NOW, mark: undefined },
    ctx: ctx({ live: { 'pkg-a': P }, status: { [P]: 'present' }, maxAgeMs: 90 * DAY }), verdict: 'live', remove: true,
    because: { code: 'max-age', live: { code: 'owner-installed', owner: 'pkg-a', project: P }, ageMs: 100 * DAY, maxAgeMs: 90 * DAY }, reason: /, but last used 100 days ago \(older than --max-age\)$/ },
  { rule: '--max-age keeps a live space used within it', facts: { owner: 'pkg-a', usage: usage({ projects: { [P]: 80 * DAY } }), mtimeMs: NOW, mark: undefined },
    ctx: ctx({ live: { 'pkg-a': P }, status: { [P]: 'present' }, maxAgeMs: 90 * DAY }), verdict: 'live', remove: false,
    because: { code: 'owner-installed', owner: 'pkg-a', project: P }, reason: `owner pkg-a is installed in ${P}` },
]

describe('judgeSpace: one row per rule', () => {
  test.each(rows)('$rule', (row) => {
    const verdict = judgeSpace(row.facts, row.ctx)
    expect(verdict).toMatchObject({ verdict: row.verdict, remove: row.remove, because: row.because })
    if (typeof row.reason === 'string') expect(renderBecause(verdict.because)).toBe(row.reason)
    else expect(renderBecause(verdict.because)).toMatch(row.reason)
  })

  test('a live space loses its orphan mark; an orphan keeps the first one', () => {
    const orphan = { owner: 'pkg-a', usage: usage({ projects: { [P]: DAY } }), mtimeMs: NOW, mark: undefined }
    expect(judgeSpace(orphan, ctx({ graceMs: DAY })).mark).toBe(NOW)
    expect(judgeSpace({ ...orphan, mark: NOW - 5 }, ctx({ graceMs: DAY })).mark).toBe(NOW - 5)
    expect(judgeSpace({ ...orphan, mark: NOW - 5 }, ctx({ live: { 'pkg-a': P } })).mark).toBeUndefined()
  })
})

const START_FS = NOW
function entry(id: string, opts: { ageDays: number; bytes: number; live?: boolean; createdAfter?: boolean; complete?: boolean; error?: string }): PlanEntry {
  const live = opts.live ?? true
  const because: Because = live ? { code: 'owner-installed', owner: id, project: P } : { code: 'not-installed', names: [id] }
  return {
    id, birthtimeMs: opts.createdAfter === true ? START_FS + 1 : START_FS - 10 * DAY,
    verdict: { verdict: live ? 'live' : 'orphaned', remove: !live, because, lastAccess: NOW - opts.ageDays * DAY, mark: undefined },
    size: { bytes: opts.bytes, complete: opts.complete ?? true, ...(opts.error === undefined ? {} : { error: opts.error }) },
  }
}
const deleted = (entries: PlanEntry[], policy: Parameters<typeof planSweep>[1]): string[] =>
  planSweep(entries, policy).filter((d) => d.remove).map((d) => d.id)

describe('planSweep: what the run deletes beyond the verdict', () => {
  test('race guard: a space created after the run started is kept, whatever its verdict', () => {
    const [decision] = planSweep([entry('a/k', { ageDays: 50, bytes: 1, live: false, createdAfter: true })], { runStartFs: START_FS })
    expect(decision).toEqual({ id: 'a/k', remove: false, because: { code: 'race-guard', event: 'created' } })
    expect(renderBecause(decision.because)).toBe('created during this gc run')
  })

  test('a held run (rebuilt state, newer format) deletes nothing and says why', () => {
    const [decision] = planSweep([entry('a/k', { ageDays: 50, bytes: 1, live: false })], { runStartFs: START_FS, holdReason: 'the orphan marks were damaged' })
    expect(decision.remove).toBe(false)
    expect(renderBecause(decision.because)).toBe('a/k is not installed in any known project (not deleted: the orphan marks were damaged)')
  })

  test('an unreadable space is kept, also when orphaned', () => {
    const [decision] = planSweep([entry('a/k', { ageDays: 50, bytes: 1, live: false, error: 'EACCES: permission denied' })], { runStartFs: START_FS })
    expect(decision).toMatchObject({ remove: false, because: { code: 'unreadable' } })
  })

  const store = [
    entry('old/k', { ageDays: 30, bytes: 400 }),
    entry('mid/k', { ageDays: 20, bytes: 300 }),
    entry('new/k', { ageDays: 1, bytes: 300 }),
    entry('gone/k', { ageDays: 40, bytes: 500, live: false }),
  ]

  test('budget: least recently used first, only as many as needed (orphans deleted by the rules count as gone)', () => {
    // Live spaces total 1,000 bytes: to fit 600 the oldest (400) is enough, to fit 599 the next goes too.
    expect(deleted(store, { runStartFs: START_FS, budgetBytes: 600 })).toEqual(['old/k', 'gone/k'])
    expect(deleted(store, { runStartFs: START_FS, budgetBytes: 599 })).toEqual(['old/k', 'mid/k', 'gone/k'])
    expect(deleted(store, { runStartFs: START_FS, budgetBytes: 1000 })).toEqual(['gone/k'])
    expect(deleted(store, { runStartFs: START_FS, budgetBytes: 0 })).toEqual(['old/k', 'mid/k', 'new/k', 'gone/k'])
  })

  test('budget: the reason names the store size and the budget', () => {
    const decision = planSweep(store, { runStartFs: START_FS, budgetBytes: 600 })[0]
    expect(decision.because).toEqual({ code: 'over-budget', then: { code: 'owner-installed', owner: 'old/k', project: P }, storeBytes: 1000, budgetBytes: 600 })
    expect(renderBecause(decision.because)).toBe(`over the size budget of 600 B (store: 1000 B), least recently used first; owner old/k is installed in ${P}`)
  })

  test('budget: never a space created after the start, a partly counted one, or one of unknown age; the next one goes instead', () => {
    const entries = [
      entry('fresh/k', { ageDays: 90, bytes: 400, createdAfter: true }),
      entry('partial/k', { ageDays: 80, bytes: 400, complete: false }),
      { ...entry('clock/k', { ageDays: 70, bytes: 400 }), verdict: { ...entry('clock/k', { ageDays: 70, bytes: 400 }).verdict, because: { code: 'untracked-bad-mtime', mtime: '1970-01-01T00:00:00.000Z' } as Because } },
      entry('next/k', { ageDays: 10, bytes: 400 }),
    ]
    expect(deleted(entries, { runStartFs: START_FS, budgetBytes: 1200 })).toEqual(['next/k'])
  })

  test('budget: equal last access is broken by id, so a dry run and the real run agree', () => {
    const entries = [entry('b/k', { ageDays: 5, bytes: 10 }), entry('a/k', { ageDays: 5, bytes: 10 })]
    expect(deleted(entries, { runStartFs: START_FS, budgetBytes: 10 })).toEqual(['a/k'])
  })

  test('budget in a held run: selected, but not deleted', () => {
    const decisions = planSweep(store.slice(0, 3), { runStartFs: START_FS, budgetBytes: 600, holdReason: 'newer format' })
    expect(decisions.map((d) => [d.remove, d.because.code])).toEqual([[false, 'hold'], [false, 'owner-installed'], [false, 'owner-installed']])
  })
})
