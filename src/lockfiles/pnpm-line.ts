/**
 * One line of block YAML as pnpm writes `pnpm-lock.yaml` v9: `<spaces>key: value`,
 * `<spaces>key:` (opens a block), `<spaces>- item`, `<spaces>- key: value`, or
 * `<spaces>key: |`, whose block scalar content (e.g. a multi-line `deprecated` message) the
 * caller skips. Anything else is "not understood" (`null`), which sends the caller to the full
 * YAML parser; this lexer never decides that a file is bad.
 */
export interface YamlLine {
  indent: number
  /** The decoded key; `null` for a sequence item. */
  key: string | null
  /** The decoded scalar, or the flow collection's source text (`{}`, `{a: b}`); `''` when the line opens a block. */
  value: string
  /** True when the value was written quoted (so `'9.0'` and `9.0` can be told apart). */
  quoted: boolean
  /** For a sequence item `- key: value`: the mapping entry on its line (its indent is the column of `key`). */
  entry?: YamlLine
  /** True when the value is a block scalar header (`|`, `>-`, …); its content is on the following, deeper lines. */
  block: boolean
}

const SPACE = 32
const SINGLE = 39 // '
const DOUBLE = 34 // "
const BACKSLASH = 92
const PIPE = 124
const GREATER = 62
const DASH = 45

/** Characters that start something other than a plain scalar (YAML 1.2 indicators), by char code. */
const INDICATOR = new Uint8Array(128)
for (const c of '[]{},#&*!|>%@`?:-\t') INDICATOR[c.charCodeAt(0)] = 1

function isIndicator(code: number): boolean {
  return code < 128 && INDICATOR[code] === 1
}

/**
 * The shapes most lines of a pnpm lockfile have, which `lexAt` reads exactly as this says:
 * `<spaces>key:` and `<spaces>key: value`, with a key and a plain value of name/version
 * characters only (no spaces, quotes or other indicators; a value not ending in `:`), or a
 * one-level flow mapping without quotes or brackets inside (`{integrity: sha512-…}`).
 * One regular expression decides them about twice as fast as the general path; every other
 * line goes through it.
 */
const COMMON = String.raw`( *)([A-Za-z0-9][A-Za-z0-9._@()/+-]*):(?: ([A-Za-z0-9][A-Za-z0-9._@()/+:-]*[A-Za-z0-9._@()/+-]|[A-Za-z0-9]|\{[^{}[\]'"\n]*\}))?`
const COMMON_LINE = new RegExp(`^${COMMON}$`)
/** {@link COMMON_LINE} read in place, at a line start of the whole text, up to its newline. */
const COMMON_AT = new RegExp(`${COMMON}\n`, 'y')

/** Lexes a line that is not blank. */
export function lexLine(line: string): YamlLine | null {
  const common = COMMON_LINE.exec(line)
  if (common !== null) return { indent: common[1].length, key: common[2], value: common[3] ?? '', quoted: false, block: false }
  return lexAt(line, 0)
}

/**
 * {@link lexLine} of the line of `source` that starts at `start` and ends at the newline at `eol`,
 * without cutting the common shapes out of the text first.
 */
export function lexLineAt(source: string, start: number, eol: number): YamlLine | null {
  COMMON_AT.lastIndex = start
  const common = COMMON_AT.exec(source)
  if (common !== null) return { indent: common[1].length, key: common[2], value: common[3] ?? '', quoted: false, block: false }
  return lexAt(source.slice(start, eol), 0)
}

function lexAt(line: string, start: number): YamlLine | null {
  let i = start
  while (line.charCodeAt(i) === SPACE) i++
  if (line[i] === '-' && (i + 1 === line.length || line.charCodeAt(i + 1) === SPACE)) {
    if (start > 0) return null // a sequence directly inside a sequence item
    const rest = line.slice(i + 2).trimStart()
    if (rest === '') return null
    // `- key: value`: a mapping that starts on the item's line, at the column after `- `.
    const entry = lexAt(line, i + 2)
    if (entry !== null) return entry.block ? null : { indent: i, key: null, value: '', quoted: false, block: false, entry }
    const scalar = lexValue(i, null, rest)
    return scalar === null || scalar.block ? null : scalar
  }
  let key: string | null
  let after: number
  const c = line.charCodeAt(i)
  if (c === SINGLE || c === DOUBLE) {
    const end = c === SINGLE ? endOfSingle(line, i) : endOfDouble(line, i)
    if (end === -1) return null
    key = decodeQuoted(line.slice(i, end))
    after = end
  } else {
    if (isIndicator(c)) return null
    after = line.indexOf(': ', i)
    if (after === -1) after = line.endsWith(':') ? line.length - 1 : -1
    if (after === -1) return null
    key = line.slice(i, after)
    // YAML drops trailing white space from a plain key and ends it at ` #`; a tab anywhere in
    // a key is left to the YAML parser.
    if (key.endsWith(' ') || key.includes(' #') || key.includes('\t')) return null
  }
  if (key === null || line[after] !== ':') return null
  if (after + 1 === line.length) return { indent: i, key, value: '', quoted: false, block: false }
  if (line.charCodeAt(after + 1) !== SPACE) return null
  return lexValue(i, key, line.slice(after + 2))
}

/** The line `indent`/`key` with its value lexed from `raw`; `null` when the value is not understood. */
function lexValue(indent: number, key: string | null, raw: string): YamlLine | null {
  const text = raw.charCodeAt(0) === SPACE || raw.charCodeAt(raw.length - 1) === SPACE ? raw.trim() : raw
  if (text === '') return { indent, key, value: '', quoted: false, block: false }
  const first = text.charCodeAt(0)
  if (first === PIPE || first === GREATER) {
    // Block scalar headers: `|`, `>`, with an optional chomping indicator.
    const header = text.length === 1 || (text.length === 2 && (text[1] === '-' || text[1] === '+'))
    return header ? { indent, key, value: text, quoted: false, block: true } : null
  }
  if (first === SINGLE || first === DOUBLE) {
    const end = first === SINGLE ? endOfSingle(text, 0) : endOfDouble(text, 0)
    if (end !== text.length) return null
    const value = decodeQuoted(text)
    return value === null ? null : { indent, key, value, quoted: true, block: false }
  }
  if (first === 123 /* { */ || first === 91 /* [ */) {
    return isBalancedFlow(text) ? { indent, key, value: text, quoted: false, block: false } : null
  }
  if (first !== DASH && isIndicator(first)) return null
  if (text.includes(' #') || text.includes(': ') || text.endsWith(':')) return null
  return { indent, key, value: text, quoted: false, block: false }
}

/** Index just past the single-quoted scalar starting at `start`, or -1. */
function endOfSingle(line: string, start: number): number {
  let i = start + 1
  for (;;) {
    const q = line.indexOf("'", i)
    if (q === -1) return -1
    if (line.charCodeAt(q + 1) !== SINGLE) return q + 1
    i = q + 2
  }
}

/** Index just past the double-quoted scalar starting at `start`, or -1. */
function endOfDouble(line: string, start: number): number {
  for (let i = start + 1; i < line.length; i++) {
    const c = line.charCodeAt(i)
    if (c === BACKSLASH) i++
    else if (c === DOUBLE) return i + 1
  }
  return -1
}

/** YAML 1.2 double-quoted escapes (§5.7). */
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['0', '\0'], ['a', '\x07'], ['b', '\b'], ['t', '\t'], ['\t', '\t'], ['n', '\n'], ['v', '\v'], ['f', '\f'],
  ['r', '\r'], ['e', '\x1b'], [' ', ' '], ['"', '"'], ['/', '/'], ['\\', '\\'], ['N', '\x85'], ['_', '\xa0'],
  ['L', '\u2028'], ['P', '\u2029'],
])
const HEX_DIGITS: ReadonlyMap<string, number> = new Map([['x', 2], ['u', 4], ['U', 8]])

/** Decodes a complete quoted scalar (quotes included); `null` for an escape YAML does not define. */
function decodeQuoted(text: string): string | null {
  if (text[0] === "'") return text.slice(1, -1).replace(/''/g, "'")
  const body = text.slice(1, -1)
  if (!body.includes('\\')) return body
  let out = ''
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      out += body[i]
      continue
    }
    const c = body[++i]
    const digits = HEX_DIGITS.get(c)
    const escaped = ESCAPES.get(c)
    if (digits !== undefined) {
      const hex = body.slice(i + 1, i + 1 + digits)
      const code = parseInt(hex, 16)
      if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex) || code > 0x10ffff) return null
      out += String.fromCodePoint(code)
      i += digits
    } else if (escaped !== undefined) {
      out += escaped
    } else {
      return null
    }
  }
  return out
}

/** True when the flow collection closes exactly at the end of the line, ignoring brackets inside quotes. */
function isBalancedFlow(text: string): boolean {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--
      if (depth === 0) return i === text.length - 1
    } else if (c === SINGLE || c === DOUBLE) {
      const end = c === SINGLE ? endOfSingle(text, i) : endOfDouble(text, i)
      if (end === -1) return false
      i = end - 1
    }
  }
  return false
}

/**
 * The offset of the first line after a block scalar's content, which starts at offset `from` of
 * `source` and runs while lines are blank or indented deeper than `parentIndent`; -1 when a
 * content line is indented less than the first one (invalid YAML). Lines end with `\n` up to `end`.
 */
export function endOfBlockScalar(source: string, from: number, end: number, parentIndent: number): number {
  let contentIndent = -1
  let pos = from
  while (pos < end) {
    const eol = source.indexOf('\n', pos)
    let indent = 0
    while (source.charCodeAt(pos + indent) === SPACE) indent++
    if (pos + indent !== eol) {
      if (indent <= parentIndent) break
      if (contentIndent === -1) contentIndent = indent
      else if (indent < contentIndent) return -1
    }
    pos = eol + 1
  }
  return pos
}
