import path from 'node:path'
import { ScratchError } from '../errors'
import type { Owner } from '../runtime/owner'
import { locateSpace, noteAccess } from '../runtime/spaces'

type ArchiveModule = typeof import('./index')
let archive: ArchiveModule | undefined

// The archive room's door for the runtime entry: validation and access records here, the tar
// code behind a lazy import. The build turns that import into the separate chunk ./archive.mjs,
// so node-tar is parsed only by processes that export or import. A dynamic import (not
// require) so that the ESM entry has no `require` and bundlers can follow it. The chunk links
// to this runtime instance, so its errors are this entry's ScratchError.
async function loadArchive(): Promise<ArchiveModule> {
  archive ??= await import('./index')
  return archive
}

function assertFileArg(file: unknown, fn: string): asserts file is string {
  if (typeof file === 'string' && file !== '' && !file.includes('\0')) return
  throw new ScratchError('ERR_SCRATCH_USAGE', `${fn} needs an archive file path, got ${JSON.stringify(file)}`, {
    hint: 'Pass the path of the .tar.gz file, for example "./data.tar.gz".',
  })
}

/**
 * Writes the space `key` of `owner` (null: the global namespace) to `file` as a deterministic
 * `.tar.gz` and resolves to its SRI integrity (`sha512-<base64>`) and size in bytes.
 *
 * Same content gives a byte-identical file: entries are sorted by name, directories before
 * their contents, paths are relative to the space (`a/b.txt`, no `./`), every mtime is
 * 2000-01-01T00:00:00Z, uid/gid are 0 with no user or group names, modes are normalised (0755
 * for directories and for files with any execute bit, 0644 for other files), and the gzip header
 * carries no time and a fixed OS byte. (Compressed bytes can differ between zlib builds, so
 * compare integrities made by the same Node.js.) Times, owners and hard links are not kept
 * (hard-linked files are stored as separate files).
 *
 * Links inside the space are stored as links when their target is relative and stays inside the
 * space, also when followed through other links; any other link (absolute, escaping, or a loop),
 * and any socket, FIFO or device, makes the export fail with `ERR_SCRATCH_UNSAFE_ARCHIVE` before
 * anything is written, rather than silently leave data out.
 *
 * `file` is replaced atomically (temporary file beside it, fsync, rename). Rejects with
 * `ERR_SCRATCH_INVALID_KEY` / `ERR_SCRATCH_INVALID_OWNER` before touching the disk, with
 * `ERR_SCRATCH_USAGE` when the space does not exist or `file` lies inside it, and with the
 * system error when `file` cannot be written. Exporting does not count as a use of the space.
 * @example const { integrity } = await exportScratch('models', import.meta, 'models.tar.gz')
 */
export async function exportScratch(key: string, owner: Owner | null, file: string): Promise<{ integrity: string; bytes: number }> {
  const space = locateSpace(key, owner)
  assertFileArg(file, 'exportScratch')
  return (await loadArchive()).exportSpace(space.path, path.resolve(file))
}

/**
 * Installs the archive `file` (as written by `exportScratch`; any gzip or plain tar of the same
 * kinds of entries works) as the space `key` of `owner` (null: the global namespace) and resolves
 * to the space path. **Import replaces the space**: an existing space is moved to the store's
 * trash once the new content is complete, and the new tree takes its place in one rename, so
 * readers see the old space or the new one, never a mix. Access is recorded like `getScratch`.
 *
 * With `opts.integrity` (an SRI string, as returned by `exportScratch`) the file's hash must
 * match, else `ERR_SCRATCH_INTEGRITY` and nothing is installed; an integrity string naming no
 * sha512/sha384/sha256 hash is also `ERR_SCRATCH_INTEGRITY`.
 *
 * Entries are extracted into a temporary `.<key>.tmp-…` directory beside the space and checked
 * one by one as they are read: absolute paths, `..` segments, hard links, links whose target
 * is absolute or leads outside the space (directly or through other links), devices, FIFOs,
 * unknown entry types, duplicate paths and entries below a link reject with
 * `ERR_SCRATCH_UNSAFE_ARCHIVE`; nothing is ever written through a link. A damaged, truncated or
 * non-tar file rejects with `ERR_SCRATCH_UNSAFE_ARCHIVE` too (or `ERR_SCRATCH_INTEGRITY` when an
 * integrity was given and does not match). On every failure the temporary directory is removed
 * and the existing space is left untouched. A missing `file` rejects with `ERR_SCRATCH_USAGE`,
 * bad keys and owners with `ERR_SCRATCH_INVALID_KEY` / `ERR_SCRATCH_INVALID_OWNER`, before any
 * file operation. Modes are normalised as on export, less the umask.
 *
 * With `opts.maxBytes`, an archive whose files unpack to more than that many bytes rejects with
 * `ERR_SCRATCH_UNSAFE_ARCHIVE` (naming the limit) as soon as it is exceeded: a small download
 * that expands to gigabytes never fills the disk, and nothing is installed.
 * @example await importScratch('models.tar.gz', 'models', import.meta, { integrity })
 */
export async function importScratch(file: string, key: string, owner: Owner | null, opts: { integrity?: string; maxBytes?: number } = {}): Promise<string> {
  const space = locateSpace(key, owner)
  assertFileArg(file, 'importScratch')
  const integrity = opts?.integrity
  if (integrity !== undefined && typeof integrity !== 'string') {
    throw new ScratchError('ERR_SCRATCH_USAGE', `importScratch integrity must be a string, got ${typeof integrity}`, {
      hint: 'Pass the integrity exportScratch returned, such as "sha512-…".',
    })
  }
  const maxBytes = opts?.maxBytes
  if (maxBytes !== undefined && (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 0)) {
    throw new ScratchError('ERR_SCRATCH_USAGE', `importScratch maxBytes must be a whole number of bytes, got ${String(maxBytes)}`, {
      hint: 'Pass the most bytes the archive may unpack to, such as 10 * 1024 * 1024.',
    })
  }
  // Recorded once the archive has passed every check, before the space appears; an import
  // always (re)creates the directory, so the 24 h dedupe does not apply (exists: false).
  const beforeInstall = (): void => { noteAccess(space, space.owner, false, Date.now()) }
  await (await loadArchive()).importSpace(path.resolve(file), space, { integrity, maxBytes, beforeInstall })
  return space.path
}
