import fs from 'node:fs'
import path from 'node:path'
import { autoGcEnabled } from './env-switch'
import { bookkeepingDir } from './layout'

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
    const entry = path.join(__dirname, 'gc.cjs')
    if (!fs.existsSync(entry)) return
    const marker = path.join(bookkeepingDir(root), MARKER)
    try {
      if (Date.now() - fs.statSync(marker).mtimeMs < REQUEST_EVERY_MS) return
    } catch {
      // No marker yet: no compaction was requested recently.
    }
    fs.writeFileSync(marker, `${process.pid}\n`)
    const { spawn } = require('node:child_process') as typeof import('node:child_process')
    const script = `require(${JSON.stringify(entry)}).compactStore(${JSON.stringify(root)})`
    const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore', windowsHide: true })
    // spawn reports EAGAIN, EMFILE, ENOENT… as an 'error' event, not a throw: unhandled, it would end the caller's process.
    child.on('error', () => { /* the next full gc or sweep compacts the log anyway */ })
    child.unref()
  } catch {
    // Best effort: the next full gc or sweep compacts the log anyway.
  }
}
