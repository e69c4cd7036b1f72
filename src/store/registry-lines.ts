/**
 * The text layout `registry.json` is written in (docs/design.md, "The install-time sweep"): plain
 * JSON of format 2, with the names table on the first line and one project per line after it,
 *
 *     {"version":2,"names":[…],"projects":{
 *     "/dir/a":{"names":[1,4,2],"lockfiles":[…],"checkedAt":"…","source":"access"},
 *     "/dir/b":{…}
 *     },"checksum":"…"}
 *
 * Any JSON reader reads it as before, and this version too parses it whole (native JSON.parse
 * beats any scanner in a fresh process). What the layout adds is that a save can write a project
 * that did not change back as the line it was read from, instead of encoding it again.
 */
const HEAD = '{"version":2,"names":'
const HEAD_END = ',"projects":{'
const NAMES_START = ':{"names":['

/** The body (the JSON before its seal) of a registry in this layout. */
export function layoutBody(tableJson: string, lines: readonly string[]): string {
  return `${HEAD}${tableJson}${HEAD_END}\n${lines.join(',\n')}\n}}`
}

/** One project's line: its directory and its entry, `names` already as gaps (no raw newline can occur in JSON text). */
export function entryLine(dir: string, entry: object): string {
  return `${JSON.stringify(dir)}:${JSON.stringify(entry)}`
}

/**
 * The line of each of `dirs` (the projects of the parsed file, in its order) when `text` (a
 * sealed file whose seal starts at `sealAt`, already checked and parsed) is in this layout: one
 * line per project, each starting with that project's key and its names; null otherwise. A
 * file in any other layout (an older writer's, an edited one) is then written anew in full.
 */
export function linesOf(text: string, sealAt: number, dirs: readonly string[]): string[] | null {
  if (!text.startsWith(HEAD) || text.slice(sealAt - 2, sealAt) !== '\n}') return null
  const firstBreak = text.indexOf('\n')
  if (firstBreak === -1 || firstBreak >= sealAt - 2 || !text.startsWith(HEAD_END, firstBreak - HEAD_END.length)) return null
  const body = text.slice(firstBreak + 1, sealAt - 2)
  const lines = body === '' ? [] : body.split('\n')
  // As many lines as projects: no project spread over lines, no key given twice (the parse keeps one).
  if (lines.length !== dirs.length) return null
  for (let i = 0; i < lines.length; i++) {
    const last = i === lines.length - 1
    if (!last && !lines[i].endsWith(',')) return null
    if (!lines[i].startsWith(`${JSON.stringify(dirs[i])}${NAMES_START}`) || !lines[i].endsWith(last ? '}' : '},')) return null
    if (!last) lines[i] = lines[i].slice(0, -1)
  }
  return lines
}
