import fs from 'node:fs'
import path from 'node:path'
import { isErrno } from '../errors'

/**
 * Walking trees of any depth and path length, without recursion (docs/design.md, "Trees of any
 * depth"). Sizing keeps its paths short by re-anchoring on an open directory descriptor
 * (`/proc/self/fd/N/…`, Linux) once a path grows long; removal needs no descriptors at all: a
 * subdirectory that would sit too deep is first renamed up, next to the tree being removed, and
 * removed from there. Neither changes the process's working directory.
 */

/** Past this many bytes a path is shortened (anchored or hoisted); well below every PATH_MAX. */
export const LONG_PATH = 768
/** Directory entries read per batch, so one huge directory neither blocks a deadline nor fills memory. */
const BATCH = 512

let procFd: boolean | undefined
function hasProcFd(): boolean {
  if (procFd === undefined) procFd = process.platform === 'linux' && fs.existsSync('/proc/self/fd')
  return procFd
}

/** What {@link measureTree} found. */
export interface TreeSize {
  /** Bytes of every file and link, each inode counted once (`lstat`, links never followed). */
  bytes: number
  /** The part of `bytes` that deleting the tree frees: hard-linked files only when every link is inside. */
  freeBytes: number
  /** Entries (files, links, directories) below the top. */
  entries: number
  /** False when the deadline stopped the count: every figure is then a lower bound. */
  complete: boolean
}

/**
 * A directory entry read as bytes: names are not always valid UTF-8 (archives, other systems),
 * and a name decoded to U+FFFD names nothing, so it could be neither sized nor removed.
 */
export interface Entry { name: Buffer; isDirectory(): boolean }

/** An open directory being walked; `dir` is its path as bytes. */
export interface Frame { dir: Buffer; handle: fs.Dir | null; fd: number | null; pending: Entry[]; relisted?: number }

const SLASH = Buffer.from('/')

/** `dir/name`, as bytes. */
export function childPath(dir: Buffer, name: Buffer): Buffer {
  return Buffer.concat([dir, SLASH, name])
}

/** The directory holding `file` (bytes, `/`-separated as every path built here). */
export function parentPath(file: Buffer): Buffer {
  const at = file.lastIndexOf(0x2f)
  return at <= 0 ? file.subarray(0, at + 1) : file.subarray(0, at)
}

export function openFrame(dir: string | Buffer, anchored: boolean): Frame {
  let bytes = typeof dir === 'string' ? Buffer.from(dir) : dir
  let fd: number | null = null
  if (anchored) {
    fd = fs.openSync(bytes, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW)
    bytes = Buffer.from(`/proc/self/fd/${fd}`)
  }
  try {
    return { dir: bytes, handle: fs.opendirSync(bytes as unknown as string, { bufferSize: 64, encoding: 'buffer' as BufferEncoding }), fd, pending: [] }
  } catch (err) {
    if (fd !== null) fs.closeSync(fd)
    throw err
  }
}

export function closeFrame(frame: Frame): void {
  frame.handle?.closeSync()
  frame.handle = null
  if (frame.fd !== null) fs.closeSync(frame.fd)
  frame.fd = null
}

/** The next entry of `frame`, reading a batch when none is pending; null at the end. */
export function nextEntry(frame: Frame): Entry | null {
  if (frame.pending.length === 0 && frame.handle !== null) {
    for (let i = 0; i < BATCH; i++) {
      const entry = frame.handle.readSync()
      if (entry === null) {
        frame.handle.closeSync()
        frame.handle = null
        break
      }
      // Opened with the buffer encoding, the name is the entry's bytes; a runtime that ignores
      // the option (Deno) gives a string, taken as UTF-8.
      const name = entry.name as unknown as Buffer | string
      if (typeof name === 'string') frame.pending.push({ name: Buffer.from(name), isDirectory: () => entry.isDirectory() })
      else frame.pending.push(entry as unknown as Entry)
    }
    frame.pending.reverse()
  }
  return frame.pending.pop() ?? null
}

/**
 * Sizes the tree at `target` (a missing one is 0) without recursion, at any depth and path
 * length. `stat` is an `lstat` of `target` the caller already made. Stops at `deadline` (epoch
 * ms), returning lower bounds. Throws the system error of a directory it cannot read (its path
 * in the message, shortened), so the caller can keep that space and say why.
 */
export function measureTree(target: string, opts: { stat?: fs.Stats; deadline?: number } = {}): TreeSize {
  let stat = opts.stat
  if (stat === undefined) {
    try {
      stat = fs.lstatSync(target)
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR')) return { bytes: 0, freeBytes: 0, entries: 0, complete: true }
      throw err
    }
  }
  if (!stat.isDirectory()) return { bytes: stat.size, freeBytes: stat.nlink > 1 ? 0 : stat.size, entries: 0, complete: true }
  const deadline = opts.deadline ?? Infinity
  const linked = new Map<string, { size: number; nlink: number; seen: number }>()
  const size: TreeSize = { bytes: 0, freeBytes: 0, entries: 0, complete: true }
  const stack: Frame[] = []
  const names: Buffer[] = []
  try {
    try {
      stack.push(openFrame(target, false))
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR')) return size
      throw describe(err, target, [])
    }
    let steps = 0
    while (stack.length > 0) {
      if ((++steps & 255) === 0 && Date.now() > deadline) {
        size.complete = false
        break
      }
      const frame = stack[stack.length - 1]
      const entry = nextEntry(frame)
      if (entry === null) {
        closeFrame(stack.pop()!)
        names.pop()
        continue
      }
      size.entries++
      const child = childPath(frame.dir, entry.name)
      if (entry.isDirectory()) {
        try {
          stack.push(openFrame(child, child.length > LONG_PATH && hasProcFd()))
          names.push(entry.name)
        } catch (err) {
          if (isErrno(err, 'ENOENT', 'ENOTDIR')) continue
          throw describe(err, target, [...names, entry.name])
        }
        continue
      }
      let info: fs.Stats
      try {
        info = fs.lstatSync(child)
      } catch (err) {
        if (isErrno(err, 'ENOENT')) continue
        throw describe(err, target, [...names, entry.name])
      }
      if (info.nlink <= 1) {
        size.bytes += info.size
        size.freeBytes += info.size
        continue
      }
      const inode = `${info.dev}:${info.ino}`
      const seen = linked.get(inode)
      if (seen === undefined) {
        linked.set(inode, { size: info.size, nlink: info.nlink, seen: 1 })
        size.bytes += info.size
      } else seen.seen++
    }
  } finally {
    for (const frame of stack) closeFrame(frame)
  }
  // A hard-linked file is freed only when every one of its links goes with the tree.
  for (const file of linked.values()) if (file.seen >= file.nlink) size.freeBytes += file.size
  return size
}

/** The error with the offending path in its message, shortened to stay readable at any depth. */
function describe(err: unknown, top: string, bytes: Buffer[]): unknown {
  if (!isErrno(err)) return err
  const names = bytes.map((name) => name.toString())
  const shown = names.length <= 4 ? names.join('/') : `${names.slice(0, 2).join('/')}/…(${names.length - 3} levels)…/${names[names.length - 1]}`
  err.message = `${err.code}: cannot read ${path.join(top, shown)}`
  return err
}
