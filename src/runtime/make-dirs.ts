import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'

/**
 * `mkdir -p` for the store, 0700: creates `dir` and its missing parents, one level at a time,
 * tolerating a level that another process creates meanwhile. Unlike `fs.mkdirSync(…,
 * { recursive: true })`, it never loops: Node's recursive mkdir retries forever where creating
 * a directory fails with ENOENT although its parent exists (inside /proc). Throws the system
 * error of the first level that cannot be created.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = []
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      if (fs.statSync(current).isDirectory()) break
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${current}'`), { code: 'ENOTDIR', path: current, syscall: 'mkdir' })
    } catch (err) {
      if (!isErrno(err, 'ENOENT') || path.dirname(current) === current) throw err
      missing.push(current)
    }
  }
  for (const level of missing.reverse()) {
    try {
      fs.mkdirSync(level, { mode: 0o700 })
    } catch (err) {
      if (!isErrno(err, 'EEXIST') || !fs.statSync(level).isDirectory()) throw err
    }
  }
}
