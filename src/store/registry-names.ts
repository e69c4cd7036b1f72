import type { ProjectEntry } from './registry'

/**
 * A project's names as the registry file stores them (docs/design.md, "The registry's names"):
 * ids into one table of names, written as gaps. Names are decoded when first asked for, so a run
 * that asks about a few names (the install-time sweep) compares ids instead of building 10⁶
 * strings' worth of arrays at 1,000 projects.
 */

/**
 * A names table of the registry file as code outside the store sees it: each name's id, no
 * order promised (a reused table is the one loaded, whatever order the file had).
 */
export interface NamesTable {
  /** How many ids there are: every id is in `[0, size)`. */
  readonly size: number
  /** The id of `name`, or undefined when the table does not hold it. */
  idOf(name: string): number | undefined
}

/** A names table as loaded or written, with each name's id. */
export interface Table extends NamesTable { names: string[]; ids: Map<string, number> }

/** Names as stored: increasing ids into `table`, as gaps (each id minus the previous one, from -1). */
export interface Stored { table: Table; gaps: number[] }

export function tableOf(names: string[]): Table {
  const ids = new Map<string, number>()
  for (let id = 0; id < names.length; id++) ids.set(names[id], id)
  return { names, ids, size: names.length, idOf: (name) => ids.get(name) }
}

// The gaps each decoded names array came from, and the gaps of each entry not decoded yet.
// Decoded arrays are frozen, so they cannot drift from their gaps; an entry whose names are set
// drops its gaps.
const storedGaps = new WeakMap<readonly string[], Stored>()
const undecoded = new WeakMap<ProjectEntry, Stored>()

function decodeGaps(stored: Stored): string[] {
  const names = new Array<string>(stored.gaps.length)
  for (let i = 0, id = -1; i < names.length; i++) names[i] = stored.table.names[id += stored.gaps[i]]
  storedGaps.set(Object.freeze(names), stored)
  return names
}

function settle(entry: ProjectEntry, names: string[]): void {
  undecoded.delete(entry)
  Object.defineProperty(entry, 'names', { value: names, writable: true, enumerable: true, configurable: true })
}

/**
 * Gives `entry` (a plain object, names not set) names that `stored` decodes on first read,
 * checked by the caller: every gap an integer ≥ 1, the last id inside the table. A spread or
 * `JSON.stringify` of the entry reads them; assigning them replaces them.
 */
export function setStoredNames(entry: Omit<ProjectEntry, 'names'>, stored: Stored): ProjectEntry {
  const lazy = entry as ProjectEntry
  undecoded.set(lazy, stored)
  Object.defineProperty(lazy, 'names', {
    enumerable: true,
    configurable: true,
    get(this: ProjectEntry): string[] {
      const names = decodeGaps(stored)
      settle(this, names)
      return names
    },
    set(this: ProjectEntry, names: string[]) { settle(this, names) },
  })
  return lazy
}

/**
 * `entry`'s fields but its names, field by field: a spread would decode them. (A `__proto__`
 * field, which no writer of ours makes, is left out rather than made the copy's prototype.)
 */
export function fieldsOf(entry: ProjectEntry): Record<string, unknown> {
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(entry)) if (key !== 'names' && key !== '__proto__') copy[key] = entry[key as keyof ProjectEntry]
  return copy
}

/** `entry` with `changes` (not its names), its names still undecoded when they were. */
export function copyEntry(entry: ProjectEntry, changes: Partial<Omit<ProjectEntry, 'names'>>): ProjectEntry {
  const copy = Object.assign(fieldsOf(entry), changes)
  // Names given with the changes (an entry passed whole) are the copy's.
  if (Object.prototype.hasOwnProperty.call(changes, 'names')) return copy as unknown as ProjectEntry
  const stored = undecoded.get(entry)
  if (stored !== undefined) return setStoredNames(copy as Omit<ProjectEntry, 'names'>, stored)
  copy.names = entry.names
  return copy as unknown as ProjectEntry
}

/** How `entry`'s names are stored in a table, if they are (decoded or not), without decoding them. */
export function storedOf(entry: ProjectEntry): Stored | undefined {
  return undecoded.get(entry) ?? storedGaps.get(entry.names)
}

/** Whether `table` spells each name once, so that a name has exactly one id. */
function unique(table: Table): boolean {
  return table.ids.size === table.names.length
}

/**
 * How names are stored when they can be marked by id: an entry's (decoded or not) or a names
 * array as loaded, from a table that spells each name once; else undefined.
 */
export function markableIds(source: ProjectEntry | readonly string[]): Stored | undefined {
  const stored = Array.isArray(source) ? storedGaps.get(source) : storedOf(source as ProjectEntry)
  return stored !== undefined && unique(stored.table) ? stored : undefined
}

/**
 * Whether `entry` lists `name`: by its id in the stored gaps while the names are not decoded
 * (and the table spells each name once), else by the names.
 */
export function listsName(entry: ProjectEntry, name: string): boolean {
  const stored = undecoded.get(entry)
  if (stored === undefined || !unique(stored.table)) return entry.names.includes(name)
  const wanted = stored.table.ids.get(name)
  if (wanted === undefined) return false
  const gaps = stored.gaps
  for (let i = 0, id = -1; i < gaps.length; i++) {
    id += gaps[i]
    if (id >= wanted) return id === wanted
  }
  return false
}

/** `names` as gaps between their increasing ids in `table` (a name listed twice is stored once). */
export function gapsOf(names: readonly string[], table: Table): number[] {
  const sorted = new Int32Array(names.length)
  for (let i = 0; i < sorted.length; i++) sorted[i] = table.ids.get(names[i]) as number
  sorted.sort()
  const gaps: number[] = []
  for (let i = 0, last = -1; i < sorted.length; i++) {
    if (sorted[i] !== last) gaps.push(sorted[i] - last)
    last = sorted[i]
  }
  return gaps
}
