import fs from 'node:fs'
import path from 'node:path'
import { ScratchError, isErrno } from '../errors'

// More hops than any sane tree needs; beyond this a chain of links is treated as a loop.
const MAX_LINK_HOPS = 40

/** `ERR_SCRATCH_UNSAFE_ARCHIVE` for `archive` (a file, or the space being exported) and one reason. */
export function unsafe(archive: string, reason: string, cause?: unknown): ScratchError {
  return new ScratchError('ERR_SCRATCH_UNSAFE_ARCHIVE', `Unsafe scratch archive content in ${archive}: ${reason}`, {
    hint: 'Scratch archives hold only regular files, directories and relative links that stay inside the space.',
    cause,
  })
}

function isAbsoluteAnywhere(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:/.test(p)
}

/**
 * The entry path `raw` as a normalised space-relative POSIX path (`''` for the space itself).
 * `./` prefixes, empty and `.` segments are dropped; throws `ERR_SCRATCH_UNSAFE_ARCHIVE` for
 * absolute paths (POSIX or drive letters), `..` segments, NUL, backslashes (a separator on
 * Windows), and `:` on Windows (drives, alternate data streams). The same rule guards export,
 * so every archive this package writes can be imported on every platform.
 */
export function safeEntryPath(archive: string, raw: string): string {
  if (raw.includes('\0') || raw.includes('\\')) throw unsafe(archive, `entry ${JSON.stringify(raw)} has a NUL or a backslash`)
  if (isAbsoluteAnywhere(raw)) throw unsafe(archive, `entry ${JSON.stringify(raw)} is an absolute path`)
  const parts = raw.split('/').filter((part) => part !== '' && part !== '.')
  if (parts.includes('..')) throw unsafe(archive, `entry ${JSON.stringify(raw)} has a ".." segment`)
  if (process.platform === 'win32' && parts.some((part) => part.includes(':'))) {
    throw unsafe(archive, `entry ${JSON.stringify(raw)} has a ":" (a drive or stream on Windows)`)
  }
  return parts.join('/')
}

/**
 * Throws `ERR_SCRATCH_UNSAFE_ARCHIVE` unless the link at `linkRel` with target `target` is
 * relative and, read lexically from the link's directory, never climbs above the space. This
 * alone does not cover chains (`d/up -> ..` then `x -> d/up/..`); {@link assertLinkInside} does.
 */
export function assertLinkTarget(archive: string, linkRel: string, target: string): void {
  const what = `link ${JSON.stringify(linkRel)} -> ${JSON.stringify(target)}`
  if (target === '' || target.includes('\0') || target.includes('\\')) throw unsafe(archive, `${what} has an empty, NUL or backslash target`)
  if (isAbsoluteAnywhere(target)) throw unsafe(archive, `${what} points to an absolute path`)
  let depth = linkRel.split('/').length - 1
  for (const part of target.split('/')) {
    if (part === '..') depth -= 1
    else if (part !== '' && part !== '.') depth += 1
    if (depth < 0) throw unsafe(archive, `${what} points outside the space`)
  }
}

/**
 * Throws `ERR_SCRATCH_UNSAFE_ARCHIVE` unless following the link `linkRel` under `root` the way
 * the operating system would (each component looked up on disk, links followed, `..` applied to
 * where a link led) stays inside `root`. Missing components are taken lexically. Run it once the
 * whole tree exists: a later link can change where an earlier one leads. Case-insensitive file
 * systems are handled because every lookup goes through the file system itself.
 */
export function assertLinkInside(archive: string, root: string, linkRel: string): void {
  const parts = linkRel.split('/')
  const target = fs.readlinkSync(path.join(root, ...parts))
  if (resolveInside(root, parts.slice(0, -1), target, 0) === null) {
    throw unsafe(archive, `link ${JSON.stringify(linkRel)} -> ${JSON.stringify(target)} leads outside the space through other links`)
  }
  function resolveInside(base: string, from: string[], link: string, hops: number): string[] | null {
    if (hops > MAX_LINK_HOPS) throw unsafe(archive, `link ${JSON.stringify(linkRel)} is part of a loop of links`)
    if (isAbsoluteAnywhere(link) || link.includes('\\')) return null
    const stack = [...from]
    for (const part of link.split('/')) {
      if (part === '' || part === '.') continue
      if (part === '..') {
        if (stack.length === 0) return null
        stack.pop()
        continue
      }
      stack.push(part)
      const next = readLinkOrNull(path.join(base, ...stack))
      if (next === null) continue
      const resolved = resolveInside(base, stack.slice(0, -1), next, hops + 1)
      if (resolved === null) return null
      stack.splice(0, stack.length, ...resolved)
    }
    return stack
  }
}

function readLinkOrNull(target: string): string | null {
  try {
    return fs.readlinkSync(target)
  } catch (err) {
    // Not a link (EINVAL), or missing: the component is taken as it is.
    if (isErrno(err, 'EINVAL', 'ENOENT', 'ENOTDIR')) return null
    throw err
  }
}
