/**
 * The shape of each access-log record kind, as this version writes and understands it
 * (docs/design.md, "Record versions"). A record with a valid checksum whose shape is not one of
 * these was written by a newer version of the package: a reader must not act on a store it
 * cannot fully read, so such a record holds deletion instead of being skipped as damaged.
 */

/** The record version this code writes and understands. Records carry none (absent is 1) until a writer changes their meaning. */
export const RECORD_VERSION = 1

import type { LogRecord } from './access-log'

type FieldType = 'string' | 'string?' | 'string|null' | 'number'

// Every field of each kind and its type; `?` marks a field that may be absent. `v` is the
// record's version, absent in every record of version 1. The compiler holds this table to the
// record types: a kind, or a field of a kind, that the types have and the table lacks (or the
// other way round) does not compile.
const FIELDS: Record<string, Record<string, FieldType>> = {
  access: {
    t: 'string', space: 'string', owner: 'string|null', ownerVersion: 'string?', caller: 'string|null',
    callerVersion: 'string?', project: 'string|null', time: 'string', pid: 'number',
  },
  project: { t: 'string', project: 'string', time: 'string', pid: 'number' },
} satisfies { [K in LogRecord['t']]: Record<keyof Extract<LogRecord, { t: K }>, FieldType> }

/**
 * What this version understands of the log, in one string: the record version and every kind's
 * fields and types. A folded snapshot carries its writer's (docs/design.md, "The folded
 * history"), so a version that understands other records never takes the place of lines it
 * would not understand: the compiler ties the table to the record types, so this changes with them.
 */
export const RECORD_SHAPES = JSON.stringify({ v: RECORD_VERSION, kinds: FIELDS })

function fits(value: unknown, type: FieldType): boolean {
  if (type === 'number') return typeof value === 'number'
  return typeof value === 'string' || (type === 'string|null' && value === null)
}

/** "an access record": built only for a message, never on the path every line takes. */
function named(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} record`
}

// Each kind's field names and types as two lists, checked in order on every line read (no
// destructuring per line: the reader runs cold in a one-shot install hook).
const FIELD_LISTS = new Map(Object.entries(FIELDS).map(([kind, fields]) => [kind, { names: Object.keys(fields), types: Object.values(fields) }]))

/**
 * What in `value` (the parsed JSON of a line whose checksum matched) this version does not
 * understand, in words, or null when it is a record of a known kind, version and shape: only
 * known fields, each of its type, none missing. Values are not judged here (see `isSound`).
 */
export function unknownShape(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object'
  const record = value as Record<string, unknown>
  const list = typeof record.t === 'string' ? FIELD_LISTS.get(record.t) : undefined
  if (list === undefined) return `a record of unknown kind ${JSON.stringify(record.t)}`
  const kind = FIELDS[record.t as string]
  const { v } = record
  if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= RECORD_VERSION)) {
    return `${named(record.t as string)} of version ${JSON.stringify(v)} (this version reads ${RECORD_VERSION})`
  }
  let present = v === undefined ? 0 : 1
  const { names, types } = list
  for (let i = 0; i < names.length; i++) {
    const field = names[i]
    const known = record[field]
    if (known === undefined) {
      if (types[i] !== 'string?' || Object.hasOwn(record, field)) return `${named(record.t as string)} without field ${JSON.stringify(field)}`
      continue
    }
    if (!fits(known, types[i])) return `field ${JSON.stringify(field)} of ${named(record.t as string)} is ${known === null ? 'null' : typeof known}`
    present++
  }
  // JSON.parse makes own, enumerable properties only: more of them than the known ones present is
  // an unknown field. (Counted with Object.keys: a for-in count was a third of this check, cold.)
  if (Object.keys(record).length > present) return `unknown field ${JSON.stringify(Object.keys(record).find((f) => f !== 'v' && !Object.hasOwn(kind, f)))} in ${named(record.t as string)}`
  return null
}
