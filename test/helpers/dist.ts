import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { withBuildLock } from './build-lock'

/** The repository root (the package itself). */
export const repoRoot = path.resolve(__dirname, '..', '..')

/** Everything the build reads: when any of it is newer than a built file, dist/ is stale. */
export const BUILD_INPUTS = ['src', 'hooks', 'scripts/build.mjs', 'scripts/esbuild-options.cjs', 'package.json']
/** Every file the build writes that a test runs. */
export const BUILD_OUTPUTS = ['index.cjs', 'index.mjs', 'gc.cjs', 'archive.mjs', 'yaml.cjs', 'cli.cjs', 'pnpm-hook.cjs']

function newest(file: string): { file: string; mtimeMs: number } {
  const stat = fs.statSync(file)
  if (!stat.isDirectory()) return { file, mtimeMs: stat.mtimeMs }
  let best = { file, mtimeMs: 0 }
  for (const name of fs.readdirSync(file)) {
    const found = newest(path.join(file, name))
    if (found.mtimeMs > best.mtimeMs) best = found
  }
  return best
}

/**
 * Why `root`'s dist/ does not match its sources (a missing output, or the input newer than the
 * oldest output), or null when it does. Any source counts, not only the runtime's: a test of
 * dist/cli.cjs after an edit of src/gc must not run the old gc.
 */
export function staleReason(root: string): string | null {
  const outputs = BUILD_OUTPUTS.map((name) => path.join(root, 'dist', name))
  const missing = outputs.find((file) => !fs.existsSync(file))
  if (missing !== undefined) return `${missing} is missing`
  const oldest = Math.min(...outputs.map((file) => fs.statSync(file).mtimeMs))
  const inputs = BUILD_INPUTS.map((rel) => path.join(root, rel)).filter((file) => fs.existsSync(file)).map(newest)
  const newer = inputs.find((input) => input.mtimeMs > oldest)
  return newer === undefined ? null : `${newer.file} is newer than the build`
}

/**
 * Paths of the built runtime entry points, running `npm run build` first when dist/ is missing
 * a file or older than any source (`npm test` builds in `pretest`, so usually nothing runs).
 */
export function builtRuntime(): { cjs: string; mjs: string } {
  const cjs = path.join(repoRoot, 'dist', 'index.cjs')
  const mjs = path.join(repoRoot, 'dist', 'index.mjs')
  if (staleReason(repoRoot) !== null) {
    withBuildLock(repoRoot, 180_000, () => {
      if (staleReason(repoRoot) !== null) execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'pipe' })
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
