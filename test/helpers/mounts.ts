import { execFileSync } from 'node:child_process'

/**
 * Real mounts for the stress suite (root only): a read-only bind mount of a directory onto
 * itself, and a small tmpfs. Each returns an unmount function, or a string saying why the
 * machine does not allow it (the test then skips with that reason printed).
 */
function run(args: string[]): string | null {
  try {
    execFileSync('mount', args, { stdio: 'pipe' })
    return null
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err).trim()
  }
}

function unmounter(dir: string): () => void {
  return () => { execFileSync('umount', [dir], { stdio: 'pipe' }) }
}

/** `mount --bind dir dir && mount -o remount,ro,bind dir`. */
export function mountReadOnly(dir: string): (() => void) | string {
  if (process.getuid?.() !== 0) return 'needs root for mount --bind'
  const bind = run(['--bind', dir, dir])
  if (bind !== null) return `mount --bind failed: ${bind}`
  const ro = run(['-o', 'remount,ro,bind', dir])
  if (ro !== null) {
    unmounter(dir)()
    return `mount -o remount,ro,bind failed: ${ro}`
  }
  return unmounter(dir)
}

/** A tmpfs of `size` (e.g. `2m`) on `dir`. */
export function mountTmpfs(dir: string, size: string): (() => void) | string {
  if (process.getuid?.() !== 0) return 'needs root for mount -t tmpfs'
  const failed = run(['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir])
  return failed === null ? unmounter(dir) : `mount -t tmpfs failed: ${failed}`
}
