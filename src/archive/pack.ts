import fs from 'node:fs'
import path from 'node:path'
import { Header, Pax } from 'tar'
import { ScratchError } from '../errors'
import { assertLinkInside, assertLinkTarget, safeEntryPath, unsafe } from './safety'

/** The fixed mtime of every entry: 2000-01-01T00:00:00Z, so content alone decides the bytes. */
const ARCHIVE_MTIME = new Date(Date.UTC(2000, 0, 1))

const BLOCK = 512
const READ_CHUNK = 64 * 1024
// The largest size an octal ustar field holds; bigger files get their size in a pax header.
const MAX_OCTAL_SIZE = 0o77777777777

/** One entry of a space as it goes into the archive. */
export interface PackEntry {
  /** Space-relative POSIX path, no trailing slash. */
  rel: string
  abs: string
  kind: 'dir' | 'file' | 'symlink'
  /** Normalised: 0755 for directories and files with any execute bit, 0644 for other files, 0777 for links. */
  mode: number
  size: number
  target?: string
}

/**
 * Every entry under the space directory `root`, depth first, each directory's children sorted by
 * the bytes of their UTF-8 names, a directory before its contents; the space itself is not an
 * entry. Links are never followed. Throws `ERR_SCRATCH_UNSAFE_ARCHIVE` for a link whose target
 * is absolute or leads outside the space (alone or through other links), for sockets, FIFOs and
 * devices, and for names an import would refuse (backslashes; `:` on Windows), so nothing
 * unportable or escaping is ever written.
 */
export function collectEntries(root: string): PackEntry[] {
  const entries: PackEntry[] = []
  const links: string[] = []
  const walk = (dirAbs: string, dirRel: string): void => {
    const names = fs.readdirSync(dirAbs).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    for (const name of names) {
      const rel = dirRel === '' ? name : `${dirRel}/${name}`
      const abs = path.join(dirAbs, name)
      if (safeEntryPath(root, rel) !== rel) throw unsafe(root, `name ${JSON.stringify(rel)} cannot be archived`)
      const stat = fs.lstatSync(abs)
      if (stat.isDirectory()) {
        entries.push({ rel, abs, kind: 'dir', mode: 0o755, size: 0 })
        walk(abs, rel)
      } else if (stat.isFile()) {
        entries.push({ rel, abs, kind: 'file', mode: (stat.mode & 0o111) !== 0 ? 0o755 : 0o644, size: stat.size })
      } else if (stat.isSymbolicLink()) {
        const target = fs.readlinkSync(abs)
        assertLinkTarget(root, rel, target)
        entries.push({ rel, abs, kind: 'symlink', mode: 0o777, size: 0, target })
        links.push(rel)
      } else {
        throw unsafe(root, `${JSON.stringify(rel)} is a socket, FIFO or device, which cannot be archived`)
      }
    }
  }
  walk(root, '')
  for (const rel of links) assertLinkInside(root, root, rel)
  return entries
}

/** The header block(s) of `entry`: a pax header first when a name, link or size does not fit ustar. */
function entryHeader(entry: PackEntry): Buffer {
  const name = entry.kind === 'dir' ? `${entry.rel}/` : entry.rel
  const header = new Header({
    path: name,
    mode: entry.mode,
    uid: 0,
    gid: 0,
    size: entry.kind === 'file' ? entry.size : 0,
    mtime: ARCHIVE_MTIME,
    type: entry.kind === 'dir' ? 'Directory' : entry.kind === 'file' ? 'File' : 'SymbolicLink',
    linkpath: entry.target ?? '',
  })
  const block = Buffer.alloc(BLOCK)
  if (!header.encode(block)) return block
  const pax = new Pax({
    path: name,
    linkpath: entry.target,
    size: entry.size > MAX_OCTAL_SIZE ? entry.size : undefined,
  })
  return Buffer.concat([pax.encode(), block])
}

/**
 * The uncompressed tar stream of `entries`, ending with the two zero blocks of end-of-archive.
 * File contents are read through `O_NOFOLLOW`, so a file swapped for a link after the walk is
 * refused by the system rather than followed; a file that shrinks meanwhile throws
 * `ERR_SCRATCH_USAGE`.
 */
export async function* tarStream(entries: PackEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    yield entryHeader(entry)
    if (entry.kind !== 'file' || entry.size === 0) continue
    yield* fileContents(entry)
    const tail = entry.size % BLOCK
    if (tail !== 0) yield Buffer.alloc(BLOCK - tail)
  }
  yield Buffer.alloc(2 * BLOCK)
}

async function* fileContents(entry: PackEntry): AsyncGenerator<Buffer> {
  const handle = await fs.promises.open(entry.abs, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0))
  try {
    let position = 0
    while (position < entry.size) {
      const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK, entry.size - position))
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position)
      if (bytesRead === 0) {
        throw new ScratchError('ERR_SCRATCH_USAGE', `${entry.abs} shrank while it was being exported`, {
          hint: 'Export a space while no process is writing to it.',
        })
      }
      position += bytesRead
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead)
    }
  } finally {
    await handle.close()
  }
}
