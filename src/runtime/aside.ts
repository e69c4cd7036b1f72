import { isErrno } from '../errors'
import { nodeOs } from './node-os'

/**
 * Names for things moved or built aside (temp directories, trash entries, lock asides). Each
 * carries its creator's pid and a tag of its host, so the gc can tell a leftover of a killed
 * process from the work of a live one (docs/design.md, "Leftovers of killed writers").
 */

let tag: string | undefined

/** Eight hex digits naming this host (FNV-1a of the hostname): enough to tell hosts sharing a store apart. */
function hostTag(): string {
  if (tag === undefined) {
    let hash = 0x811c9dc5
    for (const char of nodeOs().hostname()) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0
    tag = hash.toString(16).padStart(8, '0')
  }
  return tag
}

/** A unique name for something moved aside, sortable by time: `<time>-<pid>-<host>-<random>-<base>`. */
export function asideName(base: string): string {
  return `${Date.now().toString(36)}-${process.pid}-${hostTag()}-${Math.random().toString(36).slice(2, 10)}-${base}`
}

const ASIDE = /^([0-9a-z]+)-(\d{1,10})-([0-9a-f]{8})-/

/**
 * The creator of an aside name: the part after `.trash-`, or after the last `.tmp-`, or the
 * whole name, parsed as {@link asideName} writes it. Null for names it did not write.
 */
function asideCreator(name: string): { pid: number; host: string } | null {
  const tmp = name.lastIndexOf('.tmp-')
  const start = name.startsWith('.trash-') ? 7 : tmp >= 0 ? tmp + 5 : name.startsWith('.') ? 1 : 0
  const match = ASIDE.exec(name.slice(start))
  return match === null ? null : { pid: Number(match[2]), host: match[3] }
}

/** True when `pid` names no process here (a pid we may not signal is alive). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return false
  } catch (err) {
    return isErrno(err, 'ESRCH')
  }
}

/** True when `name` was written by a process of this host that is no longer running. */
export function creatorGone(name: string): boolean {
  const creator = asideCreator(name)
  return creator !== null && creator.host === hostTag() && creator.pid !== process.pid && processGone(creator.pid)
}
