import path from 'node:path'
import { appendRecord, projectRecord } from '../runtime/access-log'
import { currentRoot } from '../runtime/root'
import { assertStore } from '../runtime/store-mark'
import { prepareStoreRoot } from '../runtime/store-root'
import { checkProject } from './projects'
import type { ProjectReport } from './report'

/**
 * Records `dir` as a project (what lifecycle scripts and `scratch register` call). Lock-free: the
 * registration is one access-log record, folded into the registry by the next gc. Returns how
 * the project looks now, so callers can say whether its lockfile was readable.
 */
export function registerProject(dir: string, opts: { root?: string; now?: number } = {}): ProjectReport {
  const root = opts.root ?? currentRoot()
  const projectDir = path.resolve(dir)
  const now = opts.now ?? Date.now()
  assertStore(root)
  if (prepareStoreRoot(root)) appendRecord(root, projectRecord(projectDir, now))
  return checkProject(projectDir, undefined, now).report
}
