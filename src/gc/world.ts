import type { History } from '../store/history'
import type { ProjectEntry, Registry } from '../store/registry'
import { LiveNamesByProject, type LiveNames } from './live-names'
import { probeProject, stateAfterRead, stateLists, type ProjectState, type ReadJob } from './projects'
import { readProjects } from './read-worker'
import type { ProjectReport } from './report'

/** Every project the store knows of, judged, and the names they keep alive. */
export interface World {
  projects: ProjectReport[]
  projectStatus: Map<string, 'present' | 'unknown' | 'gone'>
  /** Live package name → the first project dir (sorted) using it; only the `asked` names when given. */
  liveNames: LiveNames
  /** The registry to save after the run (gone projects left out). */
  registry: Registry
}

/**
 * Judges every project in the registry or the access history (docs/design.md, "The gc rules"), re-reading only the
 * lockfiles whose size or mtime changed. `overrides` supplies projects whose names are already
 * known from elsewhere (the install hook's in-memory lockfile) and must not be read from disk.
 * With `asked`, `liveNames` holds only those names: the install hook judges a few spaces, and
 * collecting every name of 1,000 projects (10⁶ map operations) was most of its time there.
 * `settledBefore`: the file system's time at the run's start, which directory stamps are kept
 * against (see `settledStamp`); none are kept without it (dry runs pass none).
 */
export function assessWorld(
  registry: Registry, history: History, now: number, overrides: Map<string, ProjectEntry> = new Map(), asked?: ReadonlySet<string>, settledBefore = -Infinity,
): World {
  const dirs = new Set([...Object.keys(registry.projects), ...history.projects.keys(), ...overrides.keys()])
  // Every name of every project (by table id where they came unchanged from the registry file),
  // or only the asked ones, in a map.
  const full = new LiveNamesByProject()
  const some = new Map<string, string>()
  const world: World = { projects: [], projectStatus: new Map(), liveNames: asked === undefined ? full : some, registry: { version: 1, projects: {} } }
  const sorted = [...dirs].sort()
  const states = new Array<ProjectState>(sorted.length)
  // Stamps first; the lockfiles that changed are then read together, on two threads when many did.
  const jobs: ReadJob[] = []
  const jobAt: number[] = []
  for (const [i, dir] of sorted.entries()) {
    const override = overrides.get(dir)
    if (override !== undefined) {
      states[i] = { report: { dir, status: 'present', lockfiles: [] }, names: override.names, entry: override }
      continue
    }
    const probe = probeProject(dir, registry.projects[dir], now, settledBefore)
    if ('state' in probe) {
      states[i] = probe.state
    } else {
      jobs.push(probe.job)
      jobAt.push(i)
    }
  }
  const read = readProjects(jobs, (job, outcome) => stateAfterRead(job, outcome, registry.projects[job.dir], now))
  for (const [j, state] of read.entries()) states[jobAt[j]] = state
  for (const state of states) {
    const dir = state.report.dir
    world.projects.push(state.report)
    world.projectStatus.set(dir, state.report.status)
    if (state.entry !== undefined) world.registry.projects[dir] = state.entry
    if (asked === undefined) {
      full.add(dir, state)
    } else if (asked.size <= 16) {
      // A few names against long lists: a scan of the list (or of its stored ids) per name, no map
      // operation per name listed, no names decoded.
      for (const name of asked) if (!some.has(name) && stateLists(state, name)) some.set(name, dir)
    } else {
      for (const name of state.names) if (asked.has(name) && !some.has(name)) some.set(name, dir)
    }
  }
  return world
}
