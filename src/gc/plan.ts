import type { Because } from './because'
import type { Verdict } from './verdict'

/** What the plan knows of one space: its verdict, its size (if counted) and when it was created. */
export interface PlanEntry {
  id: string
  verdict: Verdict
  /** Undefined when the run did not size it; `error` when it could not be read. */
  size?: { bytes: number; complete: boolean; error?: string }
  /** Creation time on the filesystem's clock (the race guard compares it with the run's start). */
  birthtimeMs: number
}

/** The run's rules beyond the verdict. */
export interface PlanPolicy {
  /** Filesystem-clock start of the run: a space created at or after it is never deleted. */
  runStartFs: number
  /** Why this run deletes nothing (a rebuilt state file, a newer store format), or undefined. */
  holdReason?: string
  /** The store's size budget in bytes (`--max-size`), or undefined. */
  budgetBytes?: number
}

export interface PlanDecision { id: string; remove: boolean; because: Because }

/**
 * Which spaces to delete and why, from facts alone (docs/design.md, "The gc rules"): the
 * verdict's removals, minus what is unreadable, was created during the run or is held; then,
 * with a budget, the least recently used spaces the rules keep, until the store fits. Pure; one
 * decision per entry, in the entries' order.
 */
export function planSweep(entries: readonly PlanEntry[], policy: PlanPolicy): PlanDecision[] {
  const decisions = entries.map((entry): PlanDecision => {
    const { verdict } = entry
    if (entry.size?.error !== undefined) return { id: entry.id, remove: false, because: { code: 'unreadable', error: entry.size.error, then: verdict.because } }
    return { id: entry.id, remove: verdict.remove, because: verdict.because }
  })
  if (policy.budgetBytes !== undefined) {
    for (const { index, storeBytes } of overBudget(entries, decisions, policy.budgetBytes, policy.runStartFs)) {
      decisions[index] = { id: entries[index].id, remove: true, because: { code: 'over-budget', then: decisions[index].because, storeBytes, budgetBytes: policy.budgetBytes } }
    }
  }
  return decisions.map((decision, index) => {
    if (!decision.remove) return decision
    if (policy.holdReason !== undefined) return { ...decision, remove: false, because: { code: 'hold', hold: policy.holdReason, then: decision.because } }
    if (entries[index].birthtimeMs >= policy.runStartFs) return { ...decision, remove: false, because: { code: 'race-guard', event: 'created' } }
    return decision
  })
}

/**
 * The spaces the budget deletes: kept by the rules, sized completely, with a known last access
 * and created before the run; least recently used first (then by id), only as many as it takes
 * for the store to fit. Each with the store's size just before it was chosen.
 */
export function overBudget(entries: readonly PlanEntry[], decisions: readonly PlanDecision[], budgetBytes: number, runStartFs: number): { index: number; storeBytes: number }[] {
  let storeBytes = 0
  entries.forEach((entry, index) => {
    if (!decisions[index].remove) storeBytes += entry.size?.bytes ?? 0
  })
  const candidates = entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry, index }) => !decisions[index].remove && entry.size !== undefined && entry.size.complete && entry.size.error === undefined &&
      entry.birthtimeMs < runStartFs && decisions[index].because.code !== 'untracked-bad-mtime')
    .sort((a, b) => a.entry.verdict.lastAccess - b.entry.verdict.lastAccess || (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0))
  const chosen: { index: number; storeBytes: number }[] = []
  for (const { entry, index } of candidates) {
    if (storeBytes <= budgetBytes) break
    chosen.push({ index, storeBytes })
    storeBytes -= entry.size?.bytes ?? 0
  }
  return chosen
}
