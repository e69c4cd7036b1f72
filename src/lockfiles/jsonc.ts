/**
 * JSON with comments and trailing commas, as `bun.lock` and pnpm's `lockfileVersion: '13.0'`
 * files are written. The text is reduced to strict JSON (comments and trailing commas dropped,
 * nothing else touched) and handed to `JSON.parse`, so every other JSON rule still holds and a
 * truncated file still fails.
 *
 * @returns the parsed value, or `{ error }` with the reason the text is not JSONC.
 */
export function parseJsonc(text: string): { value: unknown } | { error: string } {
  const stripped = stripJsonc(text)
  if (typeof stripped !== 'string') return stripped
  try {
    return { value: JSON.parse(stripped) }
  } catch (err) {
    return { error: `invalid JSON: ${(err as Error).message}` }
  }
}

const QUOTE = 34 // "
const BACKSLASH = 92
const SLASH = 47
const STAR = 42
const COMMA = 44
const NEWLINE = 10

function stripJsonc(text: string): string | { error: string } {
  const out: string[] = []
  let copyFrom = 0
  let i = 0
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      i = skipString(text, i)
      if (i === -1) return { error: 'invalid JSON: unterminated string' }
    } else if (c === SLASH) {
      const end = skipComment(text, i)
      if (end === -1) return { error: 'invalid JSON: stray / or unterminated comment' }
      out.push(text.slice(copyFrom, i), ' ')
      copyFrom = i = end
    } else if (c === COMMA) {
      const next = nextSignificant(text, i + 1)
      if (next === -1) return { error: 'invalid JSON: unterminated comment' }
      if (text[next] === '}' || text[next] === ']') {
        out.push(text.slice(copyFrom, i))
        copyFrom = i + 1
      }
      i++
    } else {
      i++
    }
  }
  out.push(text.slice(copyFrom))
  return out.join('')
}

/** Index just past the string starting at `start` (a `"`), or -1 if it never closes. */
function skipString(text: string, start: number): number {
  let i = start + 1
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === BACKSLASH) i += 2
    else if (c === QUOTE) return i + 1
    else if (c === NEWLINE) return -1
    else i++
  }
  return -1
}

/** Index just past the comment starting at `start` (a `/`), or -1 if it is not a complete comment. */
function skipComment(text: string, start: number): number {
  const kind = text.charCodeAt(start + 1)
  if (kind === SLASH) {
    const end = text.indexOf('\n', start)
    return end === -1 ? text.length : end
  }
  if (kind === STAR) {
    const end = text.indexOf('*/', start + 2)
    return end === -1 ? -1 : end + 2
  }
  return -1
}

/** Index of the next character that is neither whitespace nor inside a comment; text.length at the end. */
function nextSignificant(text: string, from: number): number {
  let i = from
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++
    } else if (c === SLASH) {
      i = skipComment(text, i)
      if (i === -1) return -1
    } else {
      return i
    }
  }
  return i
}
