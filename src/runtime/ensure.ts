import fs from 'node:fs'
import path from 'node:path'
import { ScratchError, isErrno } from '../errors'
import type { Owner } from './owner'
import { asideName } from './aside'
import { makeTempDir } from './dirs'
import { removeTrashed } from './remove'
import { locateSpace, noteAccess } from './spaces'
import { notWritable, prepareStoreRoot } from './store-root'
import { requestUpkeep } from './compaction-trigger'

function hasContent(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length > 0
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return false
    throw err
  }
}

/**
 * "Regenerate when missing or empty", done safely. When the space is missing or
 * empty, `populate` fills a fresh temporary directory next to it (same filesystem), which then
 * replaces it in one rename. Concurrent callers, in this or other processes, never see a
 * half-filled space, and exactly one result ends up in place (the others' work is discarded).
 * If `populate` throws, its directory is removed and the error propagates. Records the access
 * like `getScratch`.
 */
export async function ensureScratch(key: string, owner: Owner, populate: (dir: string) => void | Promise<void>): Promise<string> {
  const space = locateSpace(key, owner)
  if (typeof populate !== 'function') {
    throw new ScratchError('ERR_SCRATCH_USAGE', `ensureScratch(${JSON.stringify(key)}) needs a populate function`, {
      hint: 'Pass (dir) => { /* fill dir */ } as the third argument.',
    })
  }
  const exists = fs.existsSync(space.path)
  noteAccess(space, space.owner, exists, Date.now())
  if (exists && hasContent(space.path)) return space.path
  // About to (re)create it: that is always recorded, also when the first note was skipped as a
  // repeat (the space existed then, and was deleted or emptied since).
  if (exists) noteAccess(space, space.owner, false, Date.now())

  // The temp name carries this process's pid and host: a gc removes it once this process is gone.
  let temp: string
  let tracked: boolean
  try {
    tracked = prepareStoreRoot(space.root)
    temp = makeTempDir(path.dirname(space.path), `.${key}.tmp-${asideName('populate')}`)
  } catch (err) {
    // Every system error here is about the store location (full, read-only, too long, /proc).
    if (isErrno(err)) throw notWritable(space.path, err)
    throw err
  }
  try {
    await populate(temp)
    fs.renameSync(temp, space.path)
  } catch (err) {
    removeTrashed(temp)
    // Another caller put its result in place first: theirs is as good as ours.
    if (isErrno(err, 'ENOTEMPTY', 'EEXIST') && hasContent(space.path)) return space.path
    // A full disk is the store's problem, not populate's: coded, naming the space (the original is the cause).
    if (isErrno(err, 'ENOSPC', 'EDQUOT')) throw notWritable(space.path, err, 'fill scratch space')
    throw err
  }
  // Created it: see docs/design.md, "Periodic upkeep".
  if (tracked) requestUpkeep(space.root)
  return space.path
}
