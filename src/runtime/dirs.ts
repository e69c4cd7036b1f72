import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'

/** How often a creation is retried when another process prunes an empty parent at the same moment. */
const ATTEMPTS = 1000

/**
 * `mkdir -p` for store directories (mode 0700). Unlike Node's recursive mkdir it reports the
 * real reason a directory cannot be made (that one says ENOENT on a read-only file system), and
 * it retries when a concurrent gc removes an empty parent between two steps.
 */
export function makeDirs(dir: string, mode = 0o700): void {
  let last: unknown
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      fs.mkdirSync(dir, { mode })
      return
    } catch (err) {
      if (isErrno(err, 'EEXIST')) {
        // There a moment ago; pruned since (it was empty) when the check finds nothing: again.
        const kind = kindOf(dir)
        if (kind === 'directory') return
        if (kind === 'other') throw err
        last = err
        continue
      }
      if (!isErrno(err, 'ENOENT')) throw err
      last = err
    }
    const parent = path.dirname(dir)
    if (parent === dir) break
    makeDirs(parent, mode)
  }
  throw last
}

function kindOf(dir: string): 'directory' | 'other' | 'gone' {
  try {
    return fs.statSync(dir).isDirectory() ? 'directory' : 'other'
  } catch (err) {
    return isErrno(err, 'ENOENT') ? 'gone' : 'other'
  }
}

/**
 * Creates the fresh directory `name` inside `parent` (making `parent` as needed), retrying when
 * a concurrent gc prunes `parent` between the two steps. Returns the new directory's path.
 */
export function makeTempDir(parent: string, name: string): string {
  const temp = path.join(parent, name)
  for (let attempt = 1; ; attempt++) {
    makeDirs(parent)
    try {
      fs.mkdirSync(temp, { mode: 0o700 })
      return temp
    } catch (err) {
      if (!isErrno(err, 'ENOENT') || attempt >= ATTEMPTS) throw err
    }
  }
}
