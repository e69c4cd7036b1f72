import path from 'node:path'
import { readRegularFile } from './file'
import { pnpmConfigDependencyNames } from './pnpm'

/**
 * The config dependencies installed in the pnpm project at `projectDir`, from the documents of
 * its `pnpm-lock.yaml` before the main one (pnpm installs them before resolving, and the
 * in-memory lockfile of the `afterAllResolved` hook does not list them). `[]` without a lockfile
 * or config dependencies; `{ error }` when the lockfile cannot be read.
 */
export function installedConfigDependencies(projectDir: string): string[] | { error: string } {
  const file = path.join(projectDir, 'pnpm-lock.yaml')
  const read = readRegularFile(file)
  if (!read.ok) return read.code === 'ENOENT' || read.code === 'ENOTDIR' ? [] : { error: `${file}: ${read.reason}` }
  const names = pnpmConfigDependencyNames(read.text)
  return names instanceof Set ? [...names] : { error: `${file}: ${names.error}` }
}
