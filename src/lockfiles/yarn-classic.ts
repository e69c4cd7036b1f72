import { namesFromDescriptor, rangeRecordsName } from './names'
import { fail, type NamesResult, type UnresolvedDep } from './types'

/** The line that marks yarn 1's own (non-YAML) lockfile syntax. */
export const YARN_CLASSIC_HEADER = '# yarn lockfile v1'

/**
 * Names from a yarn 1 `yarn.lock`: every descriptor of every entry header (`is-number@^3.0.0`,
 * `"@scope/x@^1.0.0"`), plus the real name of `npm:` aliases (`my-odd@npm:is-odd@0.1.2` gives
 * `my-odd` and `is-odd`).
 *
 * The format is checked line by line: two-space nesting, one entry header per unindented line,
 * a `version` in every entry, balanced quotes, and a final newline, so most cuts fail; and every
 * name a `dependencies` / `optionalDependencies` block refers to must have an entry, so a cut
 * between entries that drops a dependency fails too. (Direct dependencies are not recorded in
 * yarn.lock; the gc checks those against package.json.)
 *
 * A tarball-URL, git or `file:` descriptor records only its alias (`even-tar@https://…`); those
 * are listed in `unresolved` for the caller to resolve from the installed package.
 *
 * yarn 1 does not record workspace members, so `importerDirs` is only `['.']` here;
 * `readLockfile` adds the members named by the `package.json` beside the lockfile.
 */
export function parseYarnClassicLockfile(text: string): NamesResult {
  if (!text.endsWith('\n')) return fail('truncated: the file does not end with a newline')
  const lines = text.split('\n')
  lines.pop()
  if (!lines.some((line) => line.trimEnd() === YARN_CLASSIC_HEADER)) return fail(`missing "${YARN_CLASSIC_HEADER}" header`)

  const names = new Set<string>()
  const required = new Set<string>()
  const unresolved: UnresolvedDep[] = []
  let entry: { header: string; hasVersion: boolean } | null = null
  let blockOpen = false
  let depBlock = false
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].endsWith('\r') ? lines[n].slice(0, -1) : lines[n]
    if (line.trim() === '' || line.startsWith('#')) continue
    const where = `line ${n + 1}`
    const indent = line.length - line.trimStart().length
    if (indent === 0) {
      if (entry !== null && !entry.hasVersion) return fail(`entry ${entry.header} has no version (truncated?)`)
      if (!line.endsWith(':')) return fail(`${where}: malformed entry header`)
      const descriptors = splitDescriptors(line.slice(0, -1))
      if (descriptors === null) return fail(`${where}: malformed entry header`)
      for (const descriptor of descriptors) {
        const found = namesFromDescriptor(descriptor)
        if (found === null) return fail(`${where}: malformed descriptor ${JSON.stringify(descriptor)}`)
        for (const name of found) names.add(name)
        const range = descriptor.slice(found[0].length + 1)
        if (!rangeRecordsName(range)) unresolved.push({ alias: found[0], specifier: range })
      }
      entry = { header: line, hasVersion: false }
      blockOpen = false
      continue
    }
    const field = splitField(line.slice(indent))
    if (field === null || entry === null) return fail(`${where}: malformed line`)
    if (indent === 2) {
      blockOpen = field.value === null
      depBlock = blockOpen && (field.key === 'dependencies' || field.key === 'optionalDependencies')
      if (field.key === 'version' && field.value !== null) entry.hasVersion = true
    } else if (indent !== 4 || !blockOpen || field.value === null) {
      return fail(`${where}: unexpected indentation`)
    } else if (depBlock) {
      required.add(field.key)
    }
  }
  if (entry !== null && !entry.hasVersion) return fail(`entry ${entry.header} has no version (truncated?)`)
  for (const name of required) if (!names.has(name)) return fail(`inconsistent lockfile (truncated?): ${name} is a dependency but has no entry`)
  return { ok: true, names, importerDirs: ['.'], unresolved }
}

/** `a@1, "b@2"` → `['a@1', 'b@2']`; `null` when a quote is not closed. */
function splitDescriptors(header: string): string[] | null {
  const out: string[] = []
  let i = 0
  while (i < header.length) {
    let descriptor: string | null
    if (header[i] === '"') {
      const end = closingQuote(header, i)
      descriptor = end === -1 ? null : unquote(header.slice(i, end + 1))
      i = end + 1
    } else {
      const comma = header.indexOf(', ', i)
      const end = comma === -1 ? header.length : comma
      descriptor = header.slice(i, end)
      i = end
    }
    if (descriptor === null || descriptor === '') return null
    out.push(descriptor)
    if (i === header.length) break
    if (!header.startsWith(', ', i)) return null
    i += 2
  }
  return out
}

/** `key "value"`, `key value` or `key:` (value `null`: opens a block). */
function splitField(text: string): { key: string; value: string | null } | null {
  let key: string | null
  let rest: string
  if (text[0] === '"') {
    const end = closingQuote(text, 0)
    if (end === -1) return null
    key = unquote(text.slice(0, end + 1))
    rest = text.slice(end + 1)
  } else {
    const space = text.search(/[ :]/)
    key = space === -1 ? text : text.slice(0, space)
    rest = space === -1 ? '' : text.slice(space)
  }
  if (key === null || key === '') return null
  if (rest === ':') return { key, value: null }
  if (!rest.startsWith(' ') || rest.length < 2) return null
  const raw = rest.slice(1)
  if (raw[0] !== '"') return /^[^\s"]+$/.test(raw) ? { key, value: raw } : null
  if (closingQuote(raw, 0) !== raw.length - 1) return null
  const value = unquote(raw)
  return value === null ? null : { key, value }
}

function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === '"') return i
  }
  return -1
}

function unquote(quoted: string): string | null {
  try {
    return JSON.parse(quoted) as string
  } catch {
    return null
  }
}
