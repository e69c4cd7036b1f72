/** One entry of a berry `yarn.lock`, as far as names go. */
export interface BerryEntry {
  key: string
  /** The `resolution` value; not a string when the entry has none (or a non-string one). */
  resolution: unknown
  /** Names under `dependencies` and `optionalDependencies`; `null` when a field is not a map of scalars. */
  dependencies: string[] | null
}

const DEP_FIELDS = new Set(['dependencies', 'optionalDependencies'])
// Plain scalars YAML would read as something other than a string.
const NON_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/

/**
 * The fast path for a berry `yarn.lock`: a line scanner for the block style yarn writes (two-space
 * indentation, one `key: value` per line, plain or double-quoted scalars, no flow collections,
 * no anchors, no block scalars, no duplicate keys). Several times faster
 * than a YAML parser on a large lockfile.
 *
 * Returns the entries with `hasMetadata`, or `null` for anything outside that subset — `null`
 * means "ask the YAML parser", never that the file is bad; an entry that is not a mapping also
 * returns `null`, so the YAML path reports it.
 */
export function scanBerryLockfile(text: string): { hasMetadata: boolean; entries: BerryEntry[] } | null {
  if (text.includes('\r') || text.includes('\t')) return null
  const lines = text.split('\n')
  lines.pop() // the caller checked the final newline
  const entries: BerryEntry[] = []
  // The keys seen at each level of the mapping the current line belongs to (duplicates go to YAML).
  const keys: Array<Set<string>> = []
  let hasMetadata = false
  let entry: BerryEntry | null = null
  let depBlock = false
  let prevIndent = -2
  let prevOpens = true
  let entryHasField = true
  for (const line of lines) {
    if (line.length === 0) continue
    let indent = 0
    while (line.charCodeAt(indent) === 32) indent++
    if (indent === line.length) continue
    if (line.charCodeAt(indent) === 35 /* # */) {
      if (indent !== 0) return null
      continue
    }
    if (indent % 2 !== 0 || indent > (prevOpens ? prevIndent + 2 : prevIndent)) return null
    if (prevOpens && indent !== prevIndent + 2) return null // a key that opened a block has no block
    const kv = splitLine(line, indent)
    if (kv === null) return null
    const level = indent / 2
    if (indent > prevIndent) keys[level] = new Set()
    else keys.length = level + 1
    if (keys[level].has(kv.key)) return null
    keys[level].add(kv.key)
    if (indent === 0) {
      if (!entryHasField || kv.value !== null) return null
      entryHasField = false
      if (kv.key === '__metadata') {
        hasMetadata = true
        entry = null
      } else {
        entry = { key: kv.key, resolution: undefined, dependencies: [] }
        entries.push(entry)
      }
    } else if (indent === 2) {
      entryHasField = true
      depBlock = DEP_FIELDS.has(kv.key)
      if (entry !== null) {
        // Shapes the reader would reject go to the YAML path, which reports them.
        if (kv.key === 'resolution') {
          if (kv.value?.string === undefined) return null
          entry.resolution = kv.value.string
        }
        if (depBlock && kv.value !== null) return null
      }
    } else if (indent === 4) {
      if (depBlock && entry !== null && entry.dependencies !== null) {
        if (kv.value === null) return null
        entry.dependencies.push(kv.key)
      }
    }
    prevIndent = indent
    prevOpens = kv.value === null
  }
  if (prevOpens || !entryHasField) return null
  return { hasMetadata, entries }
}

/** A scalar: `string` when YAML would read it as a string, else `other` (its text). */
type Scalar = { string: string; other?: undefined } | { string?: undefined; other: string }

/** `key: value` or `key:` (value `null`) at `indent`; `null` outside the subset. */
function splitLine(line: string, indent: number): { key: string; value: Scalar | null } | null {
  let key: string
  let rest: number
  if (line.charCodeAt(indent) === 34 /* " */) {
    const end = closingQuote(line, indent)
    if (end === -1) return null
    const parsed = parseQuoted(line.slice(indent, end + 1))
    if (parsed === null) return null
    key = parsed
    rest = end + 1
    if (line.charCodeAt(rest) !== 58 /* : */) return null
  } else {
    rest = line.indexOf(': ', indent)
    if (rest === -1) {
      if (line.charCodeAt(line.length - 1) !== 58) return null
      rest = line.length - 1
    }
    key = line.slice(indent, rest)
    if (!isPlain(key) || key.endsWith(' ')) return null
  }
  if (rest === line.length - 1) return { key, value: null }
  if (line.charCodeAt(rest + 1) !== 32) return null
  const raw = line.slice(rest + 2)
  if (raw.charCodeAt(0) === 34) {
    if (closingQuote(raw, 0) !== raw.length - 1) return null
    const value = parseQuoted(raw)
    return value === null ? null : { key, value: { string: value } }
  }
  if (!isPlain(raw) || raw.endsWith(' ')) return null
  return { key, value: NON_STRING.test(raw) ? { other: raw } : { string: raw } }
}

// A plain scalar yarn writes: no indicator first, no `: ` or ` #` inside, no quotes to unescape.
function isPlain(text: string): boolean {
  if (text.length === 0) return false
  const first = text.charCodeAt(0)
  // - ? : , [ ] { } # & * ! | > ' " % @ `
  if ('-?:,[]{}#&*!|>\'"%@`'.includes(text[0]) && !(first === 45 && text.length > 1 && text[1] !== ' ')) return false
  return !text.includes(': ') && !text.includes(' #') && !text.endsWith(':')
}

function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 92 /* \ */) i++
    else if (c === 34) return i
  }
  return -1
}

// YAML double-quoted escapes are a superset of JSON's; anything JSON does not read goes to YAML.
function parseQuoted(quoted: string): string | null {
  if (!quoted.includes('\\')) return quoted.slice(1, -1)
  try {
    return JSON.parse(quoted) as string
  } catch {
    return null
  }
}
