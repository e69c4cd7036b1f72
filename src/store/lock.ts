import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ScratchError, isErrno } from '../errors'
import { bookkeepingDir } from '../runtime/layout'
import { asideName, processGone } from '../runtime/aside'

/** Who holds the store lock; written inside the lock directory. */
interface LockOwner { pid: number; host: string; since: string; command: string }

/** A held store lock. `release` is idempotent. */
export interface StoreLock { path: string; release(): void }

/** A lock older than this is taken over even if its pid seems alive (pids get reused). */
const ANCIENT_MS = 60 * 60 * 1000

export function lockPath(root: string): string {
  return path.join(bookkeepingDir(root), 'lock')
}

/**
 * The owner's pid and host are also the name of an empty file in the lock (`owner.<pid>.<host>`):
 * creating it needs no free space, so the gc can take the lock on a full disk and free some
 * (docs/design.md, "Freeing space on a full disk"); `owner.json` adds the rest when it fits.
 */
const MARKER = /^owner\.(\d+)\.(.+)$/

function readOwner(dir: string): LockOwner | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'owner.json'), 'utf8')) as LockOwner
  } catch {
    // No owner.json, or a partial one (the disk was full): the marker's name says who.
  }
  try {
    for (const name of fs.readdirSync(dir)) {
      const match = MARKER.exec(name)
      if (match === null) continue
      const since = fs.statSync(dir).mtime.toISOString()
      return { pid: Number(match[1]), host: decodeURIComponent(match[2]), since, command: 'unknown command' }
    }
  } catch {
    // Vanished or unreadable: nobody known.
  }
  return null
}

function isAlive(pid: number): boolean {
  return !processGone(pid)
}

function isStale(dir: string, now: number): boolean {
  const owner = readOwner(dir)
  let ageMs: number
  try {
    ageMs = now - fs.statSync(dir).mtimeMs
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false
    throw err
  }
  if (ageMs > ANCIENT_MS) return true
  // Locks are created with their owner file; one without is hand-made or damaged.
  if (owner === null) return ageMs > 10_000
  return owner.host === os.hostname() && !isAlive(owner.pid)
}

/**
 * Creates the lock with its owner file already inside: the directory is built under a temp name
 * and renamed into place, so a lock never exists without its owner (a crash mid-create leaves
 * only a temp directory, which the gc removes).
 */
function tryCreate(dir: string, command: string): boolean {
  // rename() would replace an empty directory: an owner-less lock (hand-made, or from an older
  // version) is left to the staleness rules instead.
  if (fs.existsSync(dir)) return false
  const temp = path.join(path.dirname(dir), `.${asideName('lock')}.tmp`)
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), command }
  fs.mkdirSync(temp, { mode: 0o700 })
  try {
    fs.closeSync(fs.openSync(path.join(temp, `owner.${owner.pid}.${encodeURIComponent(owner.host)}`), 'wx', 0o600))
    try {
      fs.writeFileSync(path.join(temp, 'owner.json'), JSON.stringify(owner), { mode: 0o600 })
    } catch (err) {
      if (!isErrno(err, 'ENOSPC', 'EDQUOT')) throw err
      fs.rmSync(path.join(temp, 'owner.json'), { force: true })
    }
    fs.renameSync(temp, dir)
    return true
  } catch (err) {
    fs.rmSync(temp, { recursive: true, force: true })
    // A held lock is a non-empty directory: rename onto it fails (EPERM on Windows). ENOENT: the
    // gc holding the lock cleared our temp directory as a crashed writer's; try again later.
    if (isErrno(err, 'ENOTEMPTY', 'EEXIST', 'ENOENT') || (process.platform === 'win32' && isErrno(err, 'EPERM'))) return false
    throw err
  }
}

/**
 * Takes the store's one lock (a directory renamed into place, holding the owner's pid). A lock
 * whose owner process is dead on this host, or that is older than an hour, is stale and taken
 * over by renaming it aside. Waits up to `waitMs` (polling), then throws `ERR_SCRATCH_LOCKED`
 * naming the lock path and its holder.
 */
export async function acquireLock(root: string, opts: { waitMs?: number; command?: string } = {}): Promise<StoreLock> {
  const dir = lockPath(root)
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 })
  const deadline = Date.now() + (opts.waitMs ?? 0)
  for (;;) {
    const lock = tryAcquireOnce(root, dir, opts.command ?? process.argv.slice(1).join(' '))
    if (lock !== null) return lock
    if (Date.now() >= deadline) throw lockedError(dir)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** `acquireLock` without waiting, synchronous: null when another process holds the lock. */
export function tryAcquireLock(root: string, command = 'scoped sweep'): StoreLock | null {
  const dir = lockPath(root)
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 })
  return tryAcquireOnce(root, dir, command)
}

function tryAcquireOnce(root: string, dir: string, command: string): StoreLock | null {
  if (!tryCreate(dir, command)) {
    if (!isStale(dir, Date.now())) return null
    // Named like a temp file, so the next gc removes it if this process dies before it does.
    const aside = path.join(path.dirname(dir), `.${asideName('stale-lock')}.tmp`)
    try {
      fs.renameSync(dir, aside)
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return null
      throw err
    }
    // Another process may have taken the stale lock over between our check and our rename: then
    // what we moved is its fresh lock. Put it back and let it run. (Should a third process have
    // made a new lock in those microseconds, the rename back fails and both of them run.)
    if (!isStale(aside, Date.now())) {
      try {
        fs.renameSync(aside, dir)
      } catch (err) {
        // ENOENT: a gc that took the lock meanwhile cleared the aside as a crashed writer's.
        if (!isErrno(err, 'ENOTEMPTY', 'EEXIST', 'ENOENT')) throw err
      }
      return null
    }
    fs.rmSync(aside, { recursive: true, force: true })
    if (!tryCreate(dir, command)) return null
  }
  let released = false
  return {
    path: dir,
    release() {
      if (released) return
      released = true
      const owner = readOwner(dir)
      if (owner === null || owner.pid !== process.pid) return
      // Renamed away first: removing in place could leave, if killed halfway, a lock without
      // its owner file, which others must then wait out.
      const aside = path.join(path.dirname(dir), `.${asideName('released-lock')}.tmp`)
      try {
        fs.renameSync(dir, aside)
      } catch (err) {
        if (isErrno(err, 'ENOENT')) return
        throw err
      }
      fs.rmSync(aside, { recursive: true, force: true })
    },
  }
}

/** `ERR_SCRATCH_LOCKED` naming the lock and, when known, who holds it. */
export function lockedError(dir: string): ScratchError {
  const owner = readOwner(dir)
  const holder = owner === null ? 'another process' : `pid ${owner.pid} on ${owner.host} (${owner.command}) since ${owner.since}`
  return new ScratchError('ERR_SCRATCH_LOCKED', `The scratch store is locked by ${holder}: ${dir}`, {
    hint: `Wait for it to finish and retry. If no scratch process is running, remove ${dir}.`,
  })
}
