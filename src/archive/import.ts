import fs from 'node:fs'
import path from 'node:path'
import { ScratchError, isErrno } from '../errors'
import { makeTempDir } from '../runtime/dirs'
import { asideName, pruneEmptyParents, removeTrashed, trashSpace } from '../runtime/remove'
import type { SpaceLocation } from '../runtime/spaces'
import { notWritable, prepareStoreRoot } from '../runtime/store-root'
import { parseIntegrity } from './integrity'
import { unpackArchive } from './unpack'

// Rename attempts when another process keeps putting a space back between our two renames.
const INSTALL_ATTEMPTS = 3

/** Options of {@link importSpace}. */
export interface ImportOptions {
  /** SRI string the file must match. */
  integrity?: string
  /** Most bytes of file content the archive may unpack to (see unpackArchive). */
  maxBytes?: number
  /** Runs once the archive is extracted and checked, just before the space appears (the access record). */
  beforeInstall?: () => void
}

/**
 * Installs the archive `file` as `space` (see `importScratch`): checks the integrity string
 * first, extracts into a fresh `.<key>.tmp-…` directory beside the space (same file system,
 * never a valid key), then renames it into place, moving an existing space to the store's trash
 * first. On any failure the temporary directory is removed and the space is left as it was.
 */
export async function importSpace(file: string, space: SpaceLocation, opts: ImportOptions = {}): Promise<void> {
  const expected = opts.integrity === undefined ? null : parseIntegrity(opts.integrity)
  assertArchiveFile(file)
  const namespace = path.dirname(space.path)
  let temp: string
  try {
    prepareStoreRoot(space.root)
    temp = makeTempDir(namespace, `.${path.basename(space.path)}.tmp-${asideName('import')}`)
  } catch (err) {
    // Every system error here is about the store location (full, read-only, too long, /proc).
    if (isErrno(err)) throw notWritable(space.path, err)
    throw err
  }
  let installed = false
  try {
    await unpackArchive(file, temp, expected, { maxBytes: opts.maxBytes })
    opts.beforeInstall?.()
    installDir(space, temp)
    installed = true
  } finally {
    if (!installed) {
      removeTrashed(temp)
      pruneEmptyParents(space.root, namespace)
    }
  }
}

function assertArchiveFile(file: string): void {
  let isFile = false
  try {
    isFile = fs.statSync(file).isFile()
  } catch (err) {
    if (!isErrno(err, 'ENOENT', 'ENOTDIR')) throw err
  }
  if (!isFile) {
    throw new ScratchError('ERR_SCRATCH_USAGE', `Scratch archive ${file} is missing or not a regular file`, {
      hint: 'Pass the path of a .tar.gz written by exportScratch.',
    })
  }
}

/**
 * Renames `temp` to the space path. An existing space (or link, or stray file) there is moved to
 * the trash and the rename retried; the old tree is deleted only once the new one is in place.
 */
function installDir(space: SpaceLocation, temp: string): void {
  const replaced: string[] = []
  for (let attempt = 1; ; attempt++) {
    try {
      fs.renameSync(temp, space.path)
      break
    } catch (err) {
      const occupied = isErrno(err, 'ENOTEMPTY', 'EEXIST', 'ENOTDIR') || (process.platform === 'win32' && isErrno(err, 'EPERM'))
      if (!occupied) throw isErrno(err) ? notWritable(space.path, err, 'install scratch space') : err
      if (attempt === INSTALL_ATTEMPTS) {
        throw new ScratchError('ERR_SCRATCH_LOCKED', `Scratch space ${space.path} kept being recreated while importing into it`, {
          hint: 'Another process is using this space; retry the import when it is done.', cause: err,
        })
      }
    }
    const trashed = trashSpace(space.root, space.path)
    if (trashed !== null) replaced.push(trashed)
  }
  for (const trashed of replaced) {
    try {
      removeTrashed(trashed)
    } catch (err) {
      // Out of sight already; the next gc empties the trash.
      if (!isErrno(err, 'EACCES', 'EPERM', 'EBUSY', 'ENOTEMPTY')) throw err
    }
  }
}
