import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { withBuildLock } from './build-lock'

/** The repository root (the package itself). */
export const repoRoot = path.resolve(__dirname, '..', '..')

const RUNTIME_SOURCES = ['src/index.ts', 'src/errors.ts', 'src/runtime']

function newestSourceMtime(): number {
  let newest = 0
  const visit = (file: string): void => {
    const stat = fs.statSync(file)
    if (stat.isDirectory()) for (const name of fs.readdirSync(file)) visit(path.join(file, name))
    else newest = Math.max(newest, stat.mtimeMs)
  }
  for (const rel of RUNTIME_SOURCES) visit(path.join(repoRoot, rel))
  return newest
}

function isFresh(files: string[]): boolean {
  const newest = newestSourceMtime()
  return files.every((file) => fs.existsSync(file) && fs.statSync(file).mtimeMs >= newest)
}

/**
 * Paths of the built runtime entry points, running `npm run build` first when they are missing
 * or older than the runtime sources (`npm test` builds in `pretest`, so usually nothing runs).
 */
export function builtRuntime(): { cjs: string; mjs: string } {
  const cjs = path.join(repoRoot, 'dist', 'index.cjs')
  const mjs = path.join(repoRoot, 'dist', 'index.mjs')
  if (!isFresh([cjs, mjs])) {
    withBuildLock(repoRoot, 180_000, () => {
      if (!isFresh([cjs, mjs])) execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'pipe' })
    })
  }
  return { cjs, mjs }
}

/**
 * Makes `pnpm-plugin-scratch` resolvable from `projectDir` the way an install would:
 * `projectDir/node_modules/pnpm-plugin-scratch` is a symlink to the repository, so Node
 * resolves the package through its `exports` map to the built files.
 */
export function linkSelf(projectDir: string): string {
  const link = path.join(projectDir, 'node_modules', 'pnpm-plugin-scratch')
  fs.mkdirSync(path.dirname(link), { recursive: true })
  fs.symlinkSync(repoRoot, link, 'dir')
  return link
}
