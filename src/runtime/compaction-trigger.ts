/**
 * The background work the runtime starts by itself, each in one detached, silent process running
 * the gc bundle: log compaction and the periodic upkeep (see docs/design.md, "Store format" and
 * "Periodic upkeep"). One module, so the runtime entry pays for its imports once.
 */
import fs from 'node:fs'
import path from 'node:path'
import { autoGcEnabled } from './env-switch'
import { DAY_MS } from './iso-time'
import { bookkeepingDir, FORMAT_FILE } from './layout'

/**
 * Past this size the live access log is compacted in the background by the runtime itself, so
 * the log stays bounded for people who never run gc and have no install hook (which compacts
 * past a much smaller size). See docs/design.md, "Store format".
 */
export const RUNTIME_COMPACT_AT_BYTES = 8 * 1024 * 1024
/** One background compaction per store at most this often, across processes. */
const REQUEST_EVERY_MS = 10 * 60 * 1000
const MARKER = 'compact.requested'

const requested = new Set<string>()

/**
 * Starts one detached, silent `node` process that compacts the access log of `root` (the gc
 * bundle's `compactStore`), at most once per process and once per 10 minutes per store (a
 * marker file in the bookkeeping directory). Never blocks, never throws, never prints: the
 * caller's `getScratch` matters more. Does nothing where the gc bundle is not beside this one
 * (running from sources).
 */
export function requestCompaction(root: string, env: NodeJS.ProcessEnv = process.env): void {
  if (requested.has(root) || !autoGcEnabled(env)) return
  requested.add(root)
  try {
    const marker = path.join(bookkeepingDir(root), MARKER)
    try {
      if (Date.now() - fs.statSync(marker).mtimeMs < REQUEST_EVERY_MS) return
    } catch {
      // No marker yet: no compaction was requested recently.
    }
    fs.writeFileSync(marker, '', { mode: 0o600 })
    runDetached('compactStore', root)
  } catch {
    // Best effort: the next full gc or sweep compacts the log anyway.
  }
}

/**
 * Starts one detached, silent `node` process that calls `gc.cjs`'s export `fn` with `root`
 * (the background work the runtime asks for: log compaction, periodic upkeep; see
 * docs/design.md, "Periodic upkeep"). Never blocks, never throws, never prints; returns whether
 * a process was started. Does nothing where the gc bundle is not beside this one (running from
 * sources).
 */
export function runDetached(fn: string, root: string): boolean {
  try {
    const entry = path.join(__dirname, 'gc.cjs')
    if (!fs.existsSync(entry)) return false
    // Loaded only here (the ES module entry makes its require from import.meta.url).
    const { spawn } = require('node:child_process') as typeof import('node:child_process')
    const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(entry)}).${fn}(${JSON.stringify(root)})`],
      { detached: true, stdio: 'ignore', windowsHide: true })
    // spawn reports EAGAIN, EMFILE, ENOENT… as an 'error' event, not a throw: unhandled, it would end the caller's process.
    child.on('error', () => { /* the next full gc or sweep does the work anyway */ })
    child.unref()
    return true
  } catch {
    return false
  }
}

/** A store is looked after by itself at most this often (and not before it is this old). */
export const UPKEEP_EVERY_MS = 7 * DAY_MS
/**
 * `<root>/.scratch/upkeep.stamp`: its mtime is the last full gc or upkeep claim, whichever is
 * later (see docs/design.md, "Periodic upkeep").
 */
export const UPKEEP_STAMP = 'upkeep.stamp'

// root → the time before which this process need not look at the stamp again.
const notBefore = new Map<string, number>()

/**
 * Called when a space was just created: when the store's last full gc is older than 7 days (or
 * it never had one and is older than 7 days), schedules the periodic upkeep (`gc.cjs`'s
 * `upkeepStore`: a full gc with a 7-day grace period, at low priority, detached and silent).
 * The call itself only stats the stamp, once per process and store; the claim and the spawn
 * (milliseconds) run on the next turn of the event loop, so the caller never waits for them,
 * and a process that exits first claims nothing. The claim is atomic, so processes racing on
 * one store start one upkeep: a missing stamp is created exclusively (`wx`); a stale one is
 * claimed by hard-linking it to a name made of its mtime, which only one process can create.
 * Never throws, never prints; nothing when `SCRATCHSPACE_AUTO_GC` is off or the store cannot
 * be written. Returns whether the upkeep was scheduled.
 */
export function requestUpkeep(root: string, now = Date.now()): boolean {
  if (now < (notBefore.get(root) ?? 0) || !autoGcEnabled()) return false
  // Whatever happens below, this process asks again only when the stamp may have gone stale.
  notBefore.set(root, Infinity)
  const book = bookkeepingDir(root)
  const stamp = path.join(book, UPKEEP_STAMP)
  try {
    const seen = fs.statSync(stamp, { throwIfNoEntry: false })
    // The format file is written once, when the store is made: its mtime is the store's age.
    const since = seen?.mtimeMs ?? fs.statSync(path.join(book, FORMAT_FILE)).mtimeMs
    if (now - since < UPKEEP_EVERY_MS) {
      notBefore.set(root, since + UPKEEP_EVERY_MS)
      return false
    }
    setImmediate(() => {
      try {
        // The caller has just written a space into the store; the claim itself proves `.scratch/` writable.
        if (seen === undefined) fs.writeFileSync(stamp, '', { flag: 'wx', mode: 0o600 })
        else {
          fs.linkSync(stamp, `${stamp}.${Math.floor(seen.mtimeMs)}`)
          fs.utimesSync(stamp, now / 1000, now / 1000)
        }
        notBefore.set(root, now + UPKEEP_EVERY_MS)
        runDetached('upkeepStore', root)
      } catch {
        // Not writable, or claimed by another process: no upkeep from this one.
      }
    })
    return true
  } catch {
    // No stamp and no format file (not a store this process made), or unreadable: nothing to do.
    return false
  }
}
