/**
 * The text layout `registry.json` is written in (docs/design.md, "The install-time sweep"): plain
 * JSON of format 2, with the names table on the first line and one project per line after it,
 *
 *     {"version":2,"names":[…],"projects":{
 *     "/dir/a":{"names":[1,4,2],"lockfiles":[…],"checkedAt":"…","source":"access"},
 *     "/dir/b":{…}
 *     },"checksum":"…"}
 *
 * Any JSON reader reads it as before. This version also reads it without parsing the whole file:
 * each project's gaps are scanned as digits, and only the rest of its line is parsed; a file in
 * any other layout (an older writer's, an edited one) is parsed whole instead, and a line that
 * deviates from the layout in any way sends the whole file there too. So the fast reading only
 * ever returns what parsing the file whole would have.
 */

const HEAD = '{"version":2,"names":'
const HEAD_END = ',"projects":{'
const NAMES_START = ':{"names":['

/** A project as its line holds it: the gaps as increasing ids into the table, and the rest parsed. */
export interface EntryLine { dir: string; ids: Int32Array; rest: Record<string, unknown>; line: string }

/** The body (the JSON before its seal) of a registry in this layout. */
export function layoutBody(tableJson: string, lines: readonly string[]): string {
  return `${HEAD}${tableJson}${HEAD_END}\n${lines.join(',\n')}\n}}`
}

/** One project's line: its directory and its entry, `names` already as gaps (no raw newline can occur in JSON text). */
export function entryLine(dir: string, entry: object): string {
  return `${JSON.stringify(dir)}:${JSON.stringify(entry)}`
}

/**
 * The table and entries of `text` (a sealed file whose seal starts at `sealAt`, already checked)
 * when it is exactly in this layout, every gap a plain positive integer and every id inside the
 * table; null otherwise (the caller then parses it whole, and reports damage from there).
 */
export function readLayout(text: string, sealAt: number): { table: string[]; entries: EntryLine[] } | null {
  if (!text.startsWith(HEAD) || text.slice(sealAt - 2, sealAt) !== '\n}') return null
  const firstBreak = text.indexOf('\n')
  if (firstBreak === -1 || firstBreak >= sealAt - 2 || !text.startsWith(HEAD_END, firstBreak - HEAD_END.length)) return null
  const table = parseOrNull(text.slice(HEAD.length, firstBreak - HEAD_END.length))
  if (!Array.isArray(table) || !table.every((name) => typeof name === 'string')) return null
  const entries: EntryLine[] = []
  const body = text.slice(firstBreak + 1, sealAt - 2)
  if (body === '') return { table, entries }
  const lines = body.split('\n')
  // Every project's ids in one buffer: a gap takes at least two characters with its comma.
  const pool = new Int32Array((body.length >> 1) + 1)
  let used = 0
  for (let i = 0; i < lines.length; i++) {
    const last = i === lines.length - 1
    const line = last ? lines[i] : lines[i].slice(0, -1)
    if (!last && !lines[i].endsWith(',')) return null
    const entry = readLine(line, table.length, pool, used)
    if (entry === null) return null
    used += entry.ids.length
    entries.push(entry)
  }
  return { table, entries }
}

/** The gaps as this version writes them: positive integers without leading zeros, comma-separated. */
const GAPS = /^(?:[1-9][0-9]{0,8}(?:,[1-9][0-9]{0,8})*)?$/

function readLine(line: string, tableSize: number, pool: Int32Array, used: number): EntryLine | null {
  if (line.charCodeAt(0) !== 0x22) return null
  let end = 1
  for (; end < line.length; end++) {
    const c = line.charCodeAt(end)
    if (c === 0x5c) end++
    else if (c === 0x22) break
  }
  const dir = parseOrNull(line.slice(0, end + 1))
  if (typeof dir !== 'string' || !line.startsWith(NAMES_START, end + 1)) return null
  const start = end + 1 + NAMES_START.length
  const close = line.indexOf(']', start)
  if (close === -1 || !GAPS.test(line.slice(start, close))) return null
  // Each id is the running sum of the gaps from -1, and must lie inside the table.
  let id = -1
  let gap = 0
  let n = used
  for (let at = start; at < close; at++) {
    const c = line.charCodeAt(at)
    if (c !== 0x2c) {
      gap = gap * 10 + c - 0x30
      continue
    }
    if ((id += gap) >= tableSize) return null
    pool[n++] = id
    gap = 0
  }
  if (close > start) {
    if ((id += gap) >= tableSize) return null
    pool[n++] = id
  }
  // The rest of the object, parsed on its own; a second "names" would win in a whole parse.
  if (line.charCodeAt(close + 1) !== 0x2c) return null
  const rest = parseOrNull(`{${line.slice(close + 2)}`)
  if (rest === null || typeof rest !== 'object' || Array.isArray(rest) || Object.prototype.hasOwnProperty.call(rest, 'names')) return null
  return { dir, ids: pool.subarray(used, n), rest: rest as Record<string, unknown>, line }
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
