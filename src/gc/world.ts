import type { History } from '../store/history'
import type { ProjectEntry, Registry } from '../store/registry'
import { checkProject, type ProjectState } from './projects'
import type { ProjectReport } from './report'

/** Every project the store knows of, judged, and the names they keep alive. */
export interface World {
  projects: ProjectReport[]
  projectStatus: Map<string, 'present' | 'unknown' | 'gone'>
  /** Live package name → one project dir using it. */
  liveNames: Map<string, string>
  /** The registry to save after the run (gone projects left out). */
  registry: Registry
}

/**
 * Judges every project in the registry or the access history (docs/design.md, "The gc rules"), re-reading only the
 * lockfiles whose size or mtime changed. `overrides` supplies projects whose names are already
 * known from elsewhere (the install hook's in-memory lockfile) and must not be read from disk.
 */
export function assessWorld(registry: Registry, history: History, now: number, overrides: Map<string, ProjectEntry> = new Map()): World {
  const dirs = new Set([...Object.keys(registry.projects), ...history.projects.keys(), ...overrides.keys()])
  const world: World = { projects: [], projectStatus: new Map(), liveNames: new Map(), registry: { version: 1, projects: {} } }
  for (const dir of [...dirs].sort()) {
    const override = overrides.get(dir)
    const state: ProjectState = override === undefined
      ? checkProject(dir, registry.projects[dir], now)
      : { report: { dir, status: 'present', lockfiles: [] }, names: override.names, entry: override }
    world.projects.push(state.report)
    world.projectStatus.set(dir, state.report.status)
    if (state.entry !== undefined) world.registry.projects[dir] = state.entry
    for (const name of state.names) {
      if (!world.liveNames.has(name)) world.liveNames.set(name, dir)
    }
  }
  return world
}
