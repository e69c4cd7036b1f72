import path from 'node:path'
import { GLOBAL_OWNER } from './names'

/**
 * Names inside the store (SPEC §3). Spaces are `<root>/<owner>/<key>` (a scoped owner is two
 * levels, `<root>/@scope/name/<key>`); the global namespace is `<root>/_global/<key>`; all
 * bookkeeping lives under one dot-directory, which no owner name or key can collide with.
 */
export const BOOKKEEPING_DIR = '.scratch'
export const CACHEDIR_TAG = 'CACHEDIR.TAG'
export const ACCESS_LOG = 'access.log'
export const TRASH_DIR = 'trash'

/** Content of `CACHEDIR.TAG` per the Cache Directory Tagging specification. */
export const CACHEDIR_TAG_CONTENT =
  'Signature: 8a477f597d28d172789f06886806bc55\n' +
  '# This file is a cache directory tag created by pnpm-plugin-scratch.\n' +
  '# For information about cache directory tags, see https://bford.info/cachedir/\n'

export function bookkeepingDir(root: string): string {
  return path.join(root, BOOKKEEPING_DIR)
}

export function accessLogPath(root: string): string {
  return path.join(root, BOOKKEEPING_DIR, ACCESS_LOG)
}

export function trashDir(root: string): string {
  return path.join(root, BOOKKEEPING_DIR, TRASH_DIR)
}

/** Directory of an owner's namespace; `null` is the global namespace. */
export function namespaceDir(root: string, owner: string | null): string {
  return owner === null ? path.join(root, GLOBAL_OWNER) : path.join(root, ...owner.split('/'))
}

/** The store-relative id of a space, `owner/key` with forward slashes on every platform. */
export function spaceId(owner: string | null, key: string): string {
  return `${owner ?? GLOBAL_OWNER}/${key}`
}
