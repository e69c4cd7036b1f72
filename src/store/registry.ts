import path from 'node:path'
import { bookkeepingDir } from '../runtime/layout'
import { readJsonFile, writeFileAtomic, type JsonRead } from './atomic'

/** A lockfile as last read: its size and mtime key the names cache. */
export interface LockfileStamp { path: string; size: number; mtimeMs: number }

/** What the registry remembers of a project between runs. */
export interface ProjectEntry {
  /** Package names the project used when last known (lockfiles ∪ own importer names). */
  names: string[]
  /** The lockfiles those names came from; empty when the names came from an install hook. */
  lockfiles: LockfileStamp[]
  /** When the names were last established (ISO). */
  checkedAt: string
  /** How the project was last registered: an access record, a hook, or `scratch register`. */
  source: 'access' | 'hook' | 'register'
}

export interface Registry { version: 1; projects: Record<string, ProjectEntry> }

function registryPath(root: string): string {
  return path.join(bookkeepingDir(root), 'registry.json')
}

function isRegistry(value: unknown): value is Registry {
  if (value === null || typeof value !== 'object') return false
  const { version, projects } = value as Partial<Registry>
  if (version !== 1 || projects === null || typeof projects !== 'object') return false
  return Object.values(projects).every((entry) =>
    entry !== null && typeof entry === 'object' && Array.isArray(entry.names) && Array.isArray(entry.lockfiles))
}

/** The registry on disk: ok, missing (a new store), or damaged (the gc rebuilds it and deletes nothing). */
export function loadRegistry(root: string): JsonRead<Registry> {
  return readJsonFile(registryPath(root), isRegistry)
}

export function emptyRegistry(): Registry {
  return { version: 1, projects: {} }
}

/** Writes the registry atomically. */
export function saveRegistry(root: string, registry: Registry): void {
  writeFileAtomic(registryPath(root), JSON.stringify(registry))
}
