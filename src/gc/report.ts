import type { Because } from './because'

/** A project as one gc run saw it (docs/design.md, "The report"). */
export interface ProjectReport {
  dir: string
  status: 'present' | 'unknown' | 'gone'
  lockfiles: string[]
  reason?: string
}

/** What a run decided for one space, and what happened (docs/design.md, "The report"). */
export interface SpaceReport {
  owner: string | null
  key: string
  path: string
  bytes: number
  /** False when the run did not size this space (the install-time sweep sizes only what it deletes); `bytes` is then 0. */
  sized?: false
  tracked: boolean
  /** Last recorded use (ISO); for an untracked space, its mtime. */
  lastAccess: string | null
  /** Project directories recorded as using the space. */
  projects: string[]
  /** Packages recorded as using the space (besides the owner). */
  callers: string[]
  verdict: 'live' | 'orphaned'
  action: 'keep' | 'delete' | 'deleted' | 'failed'
  reason: string
  /** The reason as data: a code and its fields (because.ts); `reason` is its rendering plus notes. */
  because?: Because
}

/** The result of `gc`, `gc --dry-run`, `list` and the scoped sweep: one traversal, many views. */
export interface GcReport {
  dryRun: boolean
  freedBytes: number
  projects: ProjectReport[]
  spaces: SpaceReport[]
  /** Things the user should know that did not fail the run (damaged log lines, a skipped sweep...). */
  warnings: string[]
}
