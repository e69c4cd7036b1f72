import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'
import { asideName } from './aside'
import { LONG_PATH, childPath, closeFrame, nextEntry, openFrame, parentPath, type Frame } from './tree'

/**
 * Removing trees of any depth without recursion (docs/design.md, "Trees of any depth"): a
 * subdirectory whose path would grow long is renamed up beside the tree and removed from there,
 * so no path used is longer than about 1 KiB and the working directory never changes.
 */

/** A directory's mode with the owner's rwx added, so what it holds can be listed and removed. */
function makeOwnerWritable(dir: string | Buffer): boolean {
  try {
    const mode = fs.lstatSync(dir).mode
    if ((mode & 0o700) === 0o700) return false
    fs.chmodSync(dir, (mode & 0o7777) | 0o700)
    return true
  } catch {
    return false
  }
}

/** Runs `op`; on EACCES/EPERM makes `dirs` owner-writable once and retries. ENOENT counts as done. */
function withAccess(dirs: Array<string | Buffer>, op: () => void): void {
  try {
    op()
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return
    if (!isErrno(err, 'EACCES', 'EPERM') || !dirs.map(makeOwnerWritable).includes(true)) throw err
    try {
      op()
    } catch (again) {
      if (!isErrno(again, 'ENOENT')) throw again
    }
  }
}

/**
 * Removes the tree at `target` (file, link or directory; links are removed, never followed)
 * without recursion, at any depth and path length. Directories that refuse (read-only, as
 * extracted archives are) are made owner-writable first. A subdirectory whose path would grow
 * long is renamed up to `hoistInto` (default: the directory holding `target`, which must be the
 * trash or a namespace, where `.trash-*` names are the gc's to clean) and removed from there.
 * Returns false when `deadline` (epoch ms) stopped it: what is left waits for the next run.
 * Throws the system error of an entry it cannot remove.
 */
export function removeTree(target: string, opts: { deadline?: number; hoistInto?: string } = {}): boolean {
  const deadline = opts.deadline ?? Infinity
  const hoistInto = opts.hoistInto ?? path.dirname(target)
  const tops = [target]
  while (tops.length > 0) {
    const top = tops.pop()!
    let stat: fs.Stats
    try {
      stat = fs.lstatSync(top)
    } catch (err) {
      if (isErrno(err, 'ENOENT')) continue
      throw err
    }
    if (!stat.isDirectory()) {
      withAccess([path.dirname(top)], () => fs.unlinkSync(top))
      continue
    }
    const stack: Frame[] = []
    try {
      try {
        stack.push(openWritable(top))
      } catch (err) {
        if (isErrno(err, 'ENOENT')) continue
        throw err
      }
      while (stack.length > 0) {
        // Checked at every entry: one unlink can take milliseconds on a busy disk.
        if (deadline !== Infinity && Date.now() > deadline) return false
        const frame = stack[stack.length - 1]
        const entry = nextEntry(frame)
        if (entry === null) {
          closeFrame(stack.pop()!)
          rmdirAgain(frame, stack)
          continue
        }
        const child = childPath(frame.dir, entry.name)
        if (!entry.isDirectory()) {
          withAccess([frame.dir], () => fs.unlinkSync(child))
        } else if (child.length > LONG_PATH) {
          const aside = path.join(hoistInto, `.trash-${asideName('deep')}`)
          withAccess([child, frame.dir], () => fs.renameSync(child, aside))
          tops.push(aside)
        } else {
          try {
            stack.push(openWritable(child))
          } catch (err) {
            if (!isErrno(err, 'ENOENT', 'ENOTDIR')) throw err
            if (isErrno(err, 'ENOTDIR')) withAccess([frame.dir], () => fs.unlinkSync(child))
          }
        }
      }
    } finally {
      for (const frame of stack) closeFrame(frame)
    }
  }
  return true
}

function openWritable(dir: string | Buffer): Frame {
  try {
    return openFrame(dir, false)
  } catch (err) {
    if (!isErrno(err, 'EACCES', 'EPERM') || !makeOwnerWritable(dir)) throw err
    return openFrame(dir, false)
  }
}

/**
 * Removes a directory whose listing is done. Entries created meanwhile (ENOTEMPTY) send it back
 * onto the stack to be listed again, a few times at most.
 */
function rmdirAgain(frame: Frame, stack: Frame[]): void {
  try {
    fs.rmdirSync(frame.dir)
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return
    if (isErrno(err, 'ENOTEMPTY', 'EEXIST')) {
      const relisted = (frame.relisted ?? 0) + 1
      if (relisted > 3) throw err
      stack.push({ ...openWritable(frame.dir), relisted })
      return
    }
    if (!isErrno(err, 'EACCES', 'EPERM') || !makeOwnerWritable(parentPath(frame.dir))) throw err
    fs.rmdirSync(frame.dir)
  }
}
