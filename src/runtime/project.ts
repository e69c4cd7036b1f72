import fs from 'node:fs'
import path from 'node:path'
import { LOCKFILE_FILES } from '../lockfiles/kinds'

/** Files whose presence marks a project directory: every lockfile kind's files, in detection order. */
export const PROJECT_MARKERS: readonly string[] = LOCKFILE_FILES

const projectByStart = new Map<string, string | null>()

/**
 * The project a caller package runs in (docs/design.md, "Access records and projects"): from the package's real directory, or from the
 * directory holding its outermost `node_modules` segment when it is installed, walk up to the
 * nearest directory with a lockfile; if there is none, do the same from `cwd`; else `null`
 * (unattributed). Covers pnpm's `node_modules/.pnpm/…`, npm's hoisted and nested layouts,
 * workspaces, global prefixes and npx caches. Cached per start directory. `cwd` defaults to the
 * process's, looked up only when the package's own location finds no project (none when it was
 * deleted).
 */
export function detectProject(packageDir: string | undefined, cwd?: string): string | null {
  if (packageDir !== undefined) {
    const found = nearestProject(installRoot(realpathOrSelf(packageDir)))
    if (found !== null) return found
  }
  let start = cwd
  // A deleted cwd gives no project: the use is still recorded, unattributed.
  if (start === undefined) try { start = process.cwd() } catch { return null }
  return nearestProject(start)
}

function installRoot(dir: string): string {
  const marker = `${path.sep}node_modules${path.sep}`
  const index = `${dir}${path.sep}`.indexOf(marker)
  return index === -1 ? dir : dir.slice(0, index) || path.sep
}

// The native realpath is one system call; fs.realpathSync walks and lstats every component
// (~0.1 ms for a node_modules/.pnpm path). Windows keeps the JS walk, whose results the native
// call does not match for subst and network drives.
const realpath = process.platform === 'win32' ? fs.realpathSync : fs.realpathSync.native

function realpathOrSelf(dir: string): string {
  try {
    return realpath(dir)
  } catch {
    return dir
  }
}

function nearestProject(start: string): string | null {
  const cached = projectByStart.get(start)
  if (cached !== undefined) return cached
  let dir = start
  let result: string | null = null
  for (;;) {
    if (PROJECT_MARKERS.some((marker) => fs.existsSync(path.join(dir, marker)))) { result = dir; break }
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  projectByStart.set(start, result)
  return result
}
