import { isAscii } from 'node:buffer'
import path from 'node:path'

import { BUN_BINARY_REASON, parseBunLockfile } from './bun'
import { parseDenoLockfile } from './deno'
import { kindFromFileName } from './detect'
import { decodeUtf8, readRegularFileShared } from './file'
import { parseNpmLockfile } from './npm'
import { parsePnpmLockfile, parsePnpmLockfileBytes } from './pnpm'
import type { LockfileKind, LockfileRead, NamesResult } from './types'
import { parseYarnBerryLockfile } from './yarn-berry'
import { parseYarnClassicLockfile, YARN_CLASSIC_HEADER } from './yarn-classic'
import { yarnWorkspaceDirs } from './yarn-workspaces'

/**
 * The names a lockfile's text lists, read as `kind`. Pure. Never throws for bad input: anything
 * the reader cannot fully read gives `ok: false` with a reason (unknown, never "empty").
 * `yarn` covers both yarn 1 (recognised by its `# yarn lockfile v1` header) and berry.
 */
export function parseLockfile(kind: LockfileKind, text: string): LockfileRead {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  // No text lockfile holds a NUL; a zero-filled block is what a crash leaves in a file being written.
  if (kind !== 'bun' && body.includes('\u0000')) return { ok: false, kind, reason: 'NUL bytes in a text lockfile (damaged)' }
  const result = parseAs(kind, body)
  return result.ok ? { ...result, kind } : { ok: false, kind, reason: result.reason }
}

function parseAs(kind: LockfileKind, text: string): NamesResult {
  switch (kind) {
    case 'pnpm': return parsePnpmLockfile(text)
    case 'npm': return parseNpmLockfile(text, false)
    case 'npm-hidden': return parseNpmLockfile(text, true)
    case 'bun': return parseBunLockfile(text)
    case 'deno': return parseDenoLockfile(text)
    case 'yarn': return isYarnClassic(text) ? parseYarnClassicLockfile(text) : parseYarnBerryLockfile(text)
  }
}

function isYarnClassic(text: string): boolean {
  const header = text.indexOf(YARN_CLASSIC_HEADER)
  return header !== -1 && header < 1024
}

/**
 * Reads and parses the lockfile at `file`, its kind taken from the base name (see
 * `LOCKFILE_FILES`; `.package-lock.json` anywhere is npm's hidden lockfile). Synchronous.
 *
 * yarn 1 does not record workspace members in `yarn.lock`, so for a yarn 1 lockfile the
 * importer directories come from the `workspaces` of the `package.json` beside it (see
 * `yarnWorkspaceDirs`); a `package.json` that cannot be read makes the read fail.
 *
 * Fails (`ok: false`, reason naming the path) for a name that is not a lockfile's (`kind: null`),
 * for `bun.lockb` without reading it, for any system error while reading (`ENOENT`,
 * `EACCES`, `EISDIR`, …; the reason ends with the errno code), and, without reading it, for a
 * file that is not a regular file (a FIFO, a device, a link to one) or is larger than 256 MiB
 * (see `readRegularFile`): no read blocks or grows without bound.
 */
export function readLockfile(file: string): LockfileRead {
  const kind = kindFromFileName(file)
  if (kind === null) return { ok: false, kind: null, reason: `${file}: not a lockfile name` }
  if (file.endsWith('.lockb')) return { ok: false, kind, reason: `${file}: ${BUN_BINARY_REASON}` }
  const bytes = readRegularFileShared(file)
  if (!bytes.ok) return { ok: false, kind, reason: `${file}: ${bytes.reason}` }
  // A pnpm lockfile in ASCII is read in pieces of text, never one large string (see `parsePnpmLockfileBytes`).
  const pieces = kind === 'pnpm' && isAscii(bytes.bytes) ? parsePnpmLockfileBytes(bytes.bytes) : null
  if (pieces !== null) return pieces.ok ? { ...pieces, kind } : { ok: false, kind, reason: `${file}: ${pieces.reason}` }
  const text = decodeUtf8(bytes.bytes)
  const read = parseLockfile(kind, text)
  if (!read.ok) return { ...read, reason: `${file}: ${read.reason}` }
  if (kind !== 'yarn' || !isYarnClassic(text)) return read
  const members = yarnWorkspaceDirs(path.dirname(file))
  return Array.isArray(members) ? { ...read, importerDirs: members } : { ok: false, kind, reason: members.error }
}
