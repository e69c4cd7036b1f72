import path from 'node:path'
import { GLOBAL_OWNER, isKey, isPackageName } from './names'

/**
 * Names inside the store (docs/design.md, "Store format"). Spaces are `<root>/<owner>/<key>` (a scoped owner is two
 * levels, `<root>/@scope/name/<key>`); the global namespace is `<root>/_global/<key>`; all
 * bookkeeping lives under one dot-directory, which no owner name or key can collide with.
 */
export const BOOKKEEPING_DIR = '.scratch'
export const CACHEDIR_TAG = 'CACHEDIR.TAG'
export const ACCESS_LOG = 'access.log'
const TRASH_DIR = 'trash'
/** `<root>/.scratch/format`: the store format, one decimal integer line (see docs/design.md, "Store format"). */
export const FORMAT_FILE = 'format'
/** The store format this version writes and fully understands. */
export const STORE_FORMAT = 1

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

export function formatPath(root: string): string {
  return path.join(root, BOOKKEEPING_DIR, FORMAT_FILE)
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

/**
 * The owner and key of a store-relative space id, or null unless `id` is exactly `<owner>/<key>`
 * with a valid npm name (or `_global`) and a valid key: ids come from files anyone can edit, and
 * a path built from anything else could leave the store (see docs/design.md, "Store format").
 */
export function parseSpaceId(id: unknown): { owner: string | null; key: string } | null {
  if (typeof id !== 'string') return null
  const slash = id.lastIndexOf('/')
  if (slash <= 0) return null
  const ownerPart = id.slice(0, slash)
  const key = id.slice(slash + 1)
  if (!isKey(key)) return null
  if (ownerPart === GLOBAL_OWNER) return { owner: null, key }
  return isPackageName(ownerPart) ? { owner: ownerPart, key } : null
}
