/**
 * Where the disk went, per owner (`scratch list --by owner`, docs/design.md, "Status"): the
 * spaces of a gc or list report grouped by their owner (the global namespace is one owner,
 * `null`), largest first. Data only; the CLI draws it.
 */
import type { GcReport } from './report'

export interface OwnerUsage {
  /** The package name, or null for the global namespace. */
  owner: string | null
  bytes: number
  /** `bytes` as a fraction of the whole store (0..1; 0 for an empty store). */
  share: number
  /** The keys of its spaces, largest first. */
  spaces: string[]
  /** How many of its spaces are live and how many orphaned. */
  live: number
  orphaned: number
}

/** `scratch list --by owner --json`. */
export interface OwnersReport {
  totalBytes: number
  owners: OwnerUsage[]
}

/** Groups `report`'s spaces by owner, largest first (ties by name, so the order is stable). */
export function ownersOf(report: GcReport): OwnersReport {
  const groups = new Map<string | null, GcReport['spaces']>()
  for (const space of report.spaces) {
    const list = groups.get(space.owner) ?? []
    list.push(space)
    groups.set(space.owner, list)
  }
  const totalBytes = report.spaces.reduce((sum, space) => sum + space.bytes, 0)
  const owners = [...groups].map(([owner, spaces]): OwnerUsage => {
    const bytes = spaces.reduce((sum, space) => sum + space.bytes, 0)
    return {
      owner,
      bytes,
      share: totalBytes === 0 ? 0 : bytes / totalBytes,
      spaces: [...spaces].sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key)).map((space) => space.key),
      live: spaces.filter((space) => space.verdict === 'live').length,
      orphaned: spaces.filter((space) => space.verdict === 'orphaned').length,
    }
  })
  owners.sort((a, b) => b.bytes - a.bytes || (a.owner ?? '').localeCompare(b.owner ?? ''))
  return { totalBytes, owners }
}
