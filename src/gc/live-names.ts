import type { NamesTable } from '../store/registry'
import { markableIds } from '../store/registry-names'
import type { ProjectState } from './projects'

/**
 * What the verdicts ask of the live names (see verdict.ts): the first project dir, in sorted
 * order, using a name, or undefined when no project does. A `Map` is one.
 */
export interface LiveNames {
  get(name: string): string | undefined
}

/**
 * The live names of a full world, given project by project in sorted dir order. Most projects'
 * names come unchanged from the registry file, as ids into its names table: those are marked by
 * id in an array, integers only; a warm gc of 1,000 projects of 1,000 names spent ~80 ms and
 * much garbage collection on 10⁶ string map operations otherwise (docs/design.md, "The warm gc").
 * The other projects (lockfiles read this run, hook overrides, format 1, another table) go into
 * a map by name. A lookup takes the earlier of the two.
 */
export class LiveNamesByProject implements LiveNames {
  private readonly dirs: string[] = []
  /** The one table marked by id: the first met; a project of any other goes by name. */
  private table: NamesTable | undefined
  /** Id → index in `dirs` of the first project using it, -1 when none. */
  private firstById = new Int32Array(0)
  private readonly firstByName = new Map<string, number>()

  /**
   * Adds the next project (dirs in sorted order, each once) and the names it keeps alive; names
   * still stored as ids (`from`, see registry-names.ts) are marked without being decoded.
   */
  add(dir: string, state: Pick<ProjectState, 'names' | 'from'>): void {
    const index = this.dirs.push(dir) - 1
    const stored = markableIds(state.from ?? state.names)
    if (stored !== undefined && this.table === undefined) {
      this.table = stored.table
      this.firstById = new Int32Array(stored.table.size).fill(-1)
    }
    if (stored !== undefined && stored.table === this.table) {
      const first = this.firstById
      const gaps = stored.gaps
      for (let i = 0, id = -1; i < gaps.length; i++) if (first[id += gaps[i]] < 0) first[id] = index
      return
    }
    for (const name of state.names) if (!this.firstByName.has(name)) this.firstByName.set(name, index)
  }

  get(name: string): string | undefined {
    let first = this.firstByName.get(name) ?? -1
    const id = this.table?.idOf(name)
    if (id !== undefined) {
      const byId = this.firstById[id]
      if (byId >= 0 && (first < 0 || byId < first)) first = byId
    }
    return first < 0 ? undefined : this.dirs[first]
  }
}
