/**
 * The shape of each access-log record kind, as this version writes and understands it
 * (docs/design.md, "Record versions"). A record with a valid checksum whose shape is not one of
 * these was written by a newer version of the package: a reader must not act on a store it
 * cannot fully read, so such a record holds deletion instead of being skipped as damaged.
 */

/** The record version this code writes and understands. Records carry none (absent is 1) until a writer changes their meaning. */
export const RECORD_VERSION = 1

type FieldType = 'string' | 'string?' | 'string|null' | 'number'

// Every field of each kind and its type; `?` marks a field that may be absent. `v` is the
// record's version, absent in every record of version 1.
const FIELDS: Record<string, Record<string, FieldType>> = {
  access: {
    t: 'string', space: 'string', owner: 'string|null', ownerVersion: 'string?', caller: 'string|null',
    callerVersion: 'string?', project: 'string|null', time: 'string', pid: 'number',
  },
  project: { t: 'string', project: 'string', time: 'string', pid: 'number' },
}

function fits(value: unknown, type: FieldType): boolean {
  if (type === 'number') return typeof value === 'number'
  return typeof value === 'string' || (type === 'string|null' && value === null)
}

/**
 * What in `value` (the parsed JSON of a line whose checksum matched) this version does not
 * understand, in words, or null when it is a record of a known kind, version and shape: only
 * known fields, each of its type, none missing. Values are not judged here (see `isSound`).
 */
export function unknownShape(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object'
  const record = value as Record<string, unknown>
  const kind = typeof record.t === 'string' && Object.hasOwn(FIELDS, record.t) ? FIELDS[record.t] : undefined
  if (kind === undefined) return `a record of unknown kind ${JSON.stringify(record.t)}`
  const name = `${/^[aeiou]/.test(record.t as string) ? 'an' : 'a'} ${record.t as string} record`
  const { v } = record
  if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= RECORD_VERSION)) {
    return `${name} of version ${JSON.stringify(v)} (this version reads ${RECORD_VERSION})`
  }
  for (const field of Object.keys(record)) {
    if (field !== 'v' && !Object.hasOwn(kind, field)) return `unknown field ${JSON.stringify(field)} in ${name}`
  }
  for (const [field, type] of Object.entries(kind)) {
    const present = Object.hasOwn(record, field)
    if (!present && type !== 'string?') return `${name} without field ${JSON.stringify(field)}`
    if (present && !fits(record[field], type)) return `field ${JSON.stringify(field)} of ${name} is ${record[field] === null ? 'null' : typeof record[field]}`
  }
  return null
}
