import { extractFromObject, namesFromExtract, type PnpmExtract } from './pnpm-extract'
import { aliasTarget, nameFromKey } from './names'
import { scanPnpmPieces } from './pnpm-pieces'
import { scanPnpmDocument } from './pnpm-scan'
import { namesFromV6 } from './pnpm-v6'
import { fail, isRecord, type LockfileNames, type NamesResult } from './types'
import { parseYamlDocuments } from './yaml'

const V6: ReadonlySet<string> = new Set(['6.0', '6.1'])
const NO_FINAL_NEWLINE = 'truncated: the file does not end with a newline'
// pnpm starts the file with `---` only when a config dependencies document precedes the main one.
const ONLY_CONFIG_DOCUMENT = 'truncated: the file starts with --- but has no document after the config dependencies'

/**
 * Names from a `pnpm-lock.yaml`: `lockfileVersion: '9.0'`, the two-document form pnpm 11+ writes
 * when config dependencies exist (the main lockfile is the last document), and the experimental `'13.0'` (JSON-like, `projects` instead of
 * `importers`), and `'6.0'`/`'6.1'` (pnpm 8, see `namesFromV6`). Any other version is unsupported.
 * The names of config dependencies (the documents before the main one) count too.
 *
 * The file must end with a newline, a file starting with `---` must have a main document after
 * the first, and a v9 document's sections must agree with each other (see `namesFromExtract`),
 * so a file cut short is reported, not read as a smaller project. The line scanner reads what
 * pnpm writes; whatever it does not understand goes to the YAML parser, whose verdict is final.
 */
export function parsePnpmLockfile(text: string): NamesResult {
  return parsePnpmLockfileFast(text) ?? parsePnpmLockfileSlow(text)
}

/**
 * The fast path of {@link parsePnpmLockfile}: the line scanner for v9. `null` when the file needs
 * the YAML parser (a JSON-like v13 document too: only the YAML parser refuses its duplicate keys,
 * which a JSON parse would read last-wins, losing the names of the first). Exported for differential tests.
 */
export function parsePnpmLockfileFast(text: string): NamesResult | null {
  if (text.length === 0) return fail('empty file')
  if (!text.endsWith('\n')) return fail(NO_FINAL_NEWLINE)
  // A byte order mark is the YAML parser's to skip; the scanner would read it as part of a key.
  if (text.charCodeAt(0) === 0xfeff) return null
  const fast = fastMainDocument(text)
  if (fast === null) return null
  if ('onlyDocument' in fast) return fail(ONLY_CONFIG_DOCUMENT)
  // v13 and v6 documents are read from the YAML parser's output.
  if (fast.extract.version === '13.0' || V6.has(fast.extract.version ?? '')) return null
  return withConfigNames(namesFromV9(fast.extract), fast.config)
}

/**
 * {@link parsePnpmLockfileFast} of a file given as its bytes, all ASCII, turned into text piece by
 * piece (see `scanPnpmPieces`). `null` when the whole text is to be read the usual way
 * (`parsePnpmLockfile`): whatever the pieces do not settle, which never includes a file the
 * whole text would read differently.
 */
export function parsePnpmLockfileBytes(bytes: Buffer): NamesResult | null {
  const extract = scanPnpmPieces(bytes)
  if (extract === null || extract.version === '13.0' || V6.has(extract.version ?? '')) return null
  return namesFromV9(extract)
}

/**
 * Adds the names of the documents before the main one: pnpm's config dependencies (and the
 * package manager itself, `packageManagerDependencies`) are installed packages too.
 */
function withConfigNames(result: NamesResult, config: readonly PnpmExtract[]): NamesResult {
  if (!result.ok) return result
  for (const extract of config) {
    for (const key of [...extract.packages ?? [], ...extract.snapshots ?? []]) {
      const name = nameFromKey(key)
      if (name === null) return fail(`malformed package key ${JSON.stringify(key)} in the config dependencies`)
      result.names.add(name)
    }
    for (const deps of extract.importers?.values() ?? []) {
      for (const dep of deps) {
        result.names.add(dep.name)
        const target = dep.version === null ? null : aliasTarget(dep.version)
        if (target !== null) result.names.add(target)
      }
    }
  }
  return result
}

// An empty main document: read after the documents of a lockfile's head, it adds no name.
const EMPTY_MAIN_DOCUMENT = "---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n"

/**
 * The names of the config dependencies alone: the documents of `pnpm-lock.yaml` before the main
 * one, read by the same readers, or `{ error }`. A file of one document has none. For the install
 * hook, whose in-memory lockfile leaves config dependencies out.
 */
export function pnpmConfigDependencyNames(text: string): Set<string> | { error: string } {
  if (!text.startsWith('---')) return new Set()
  const main = text.lastIndexOf('\n---\n')
  if (main <= 0) return { error: ONLY_CONFIG_DOCUMENT }
  const read = parsePnpmLockfile(text.slice(0, main + 1) + EMPTY_MAIN_DOCUMENT)
  return read.ok ? read.names : { error: read.reason }
}

/** The YAML-parser path of {@link parsePnpmLockfile}; exported for differential tests. */
export function parsePnpmLockfileSlow(text: string): NamesResult {
  if (text.length === 0) return fail('empty file')
  if (!text.endsWith('\n')) return fail(NO_FINAL_NEWLINE)
  const parsed = parseYamlDocuments(text)
  if ('error' in parsed) return fail(parsed.error)
  if (parsed.docs.length === 0) return fail('no YAML document')
  if (parsed.docs.length === 1 && text.startsWith('---')) return fail(ONLY_CONFIG_DOCUMENT)
  const config: PnpmExtract[] = []
  for (const doc of parsed.docs.slice(0, -1)) {
    const extract = extractFromObject(doc, 'importers')
    if (typeof extract === 'string') return fail(`config dependencies: ${extract}`)
    config.push(extract)
  }
  return withConfigNames(namesFromDocument(parsed.docs[parsed.docs.length - 1]), config)
}

/**
 * Names from the lockfile object pnpm passes to the `afterAllResolved` hook: `importers` and
 * `packages` keyed `name@version(peers)` (pnpm 10 merges snapshots into `packages`; pnpm 12 also
 * passes `snapshots`). Same name rules as the file readers; no version or consistency checks,
 * since the object is pnpm's own, in memory.
 */
export function namesFromPnpmLockfileObject(lockfile: unknown): ({ ok: true } & LockfileNames) | { ok: false; reason: string } {
  const v13 = isRecord(lockfile) && lockfile.importers === undefined && lockfile.projects !== undefined
  const projectsKey = v13 ? 'projects' : 'importers'
  const extract = extractFromObject(lockfile, projectsKey)
  if (typeof extract === 'string') return fail(extract)
  return namesFromExtract(extract, false)
}

function namesFromDocument(doc: unknown): NamesResult {
  if (isRecord(doc) && versionOf(doc.lockfileVersion) === '13.0') {
    // v13 names its importers `projects`; a v9-shaped document may carry '13.0' too (pnpm's
    // current lockfile does), so `importers` is read when there are no `projects`.
    const extract = extractFromObject(doc, doc.projects === undefined ? 'importers' : 'projects')
    return typeof extract === 'string' ? fail(extract) : namesFromExtract(extract, false)
  }
  if (isRecord(doc) && V6.has(versionOf(doc.lockfileVersion) ?? '')) return namesFromV6(doc)
  const extract = extractFromObject(doc, 'importers')
  return typeof extract === 'string' ? fail(extract) : namesFromV9(extract)
}

function namesFromV9(extract: PnpmExtract): NamesResult {
  if (extract.version === null) return fail('no lockfileVersion')
  if (extract.version !== '9.0') return fail(`unsupported lockfileVersion ${extract.version}`)
  return namesFromExtract(extract, true)
}

function versionOf(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null
}

/**
 * The main document read the fast way: a v9 extract from the line scanner. `null` when the file
 * needs the YAML parser (a JSON-like v13 main document does).
 * Every document before the main one must scan too. The text is never split into lines: the
 * documents are offset ranges of it.
 */
function fastMainDocument(text: string): { extract: PnpmExtract; config: PnpmExtract[] } | { onlyDocument: true } | null {
  if (text.includes('\r')) return null
  if (!text.startsWith('---') && !isJsonAt(text, 0, text.length)) {
    // One YAML document, as pnpm writes without config dependencies. No document list is made:
    // the scanner refuses any `---` or `...` line (it lexes as nothing it reads), so a file that
    // has one goes to the YAML parser.
    const extract = scanPnpmDocument(text, 0, text.length)
    return extract === null ? null : { extract, config: [] }
  }
  const docs = documents(text)
  if (docs === null) return null
  if (docs.length === 1 && text.startsWith('---\n')) return { onlyDocument: true }
  const config: PnpmExtract[] = []
  for (let i = 0; i < docs.length - 1; i++) {
    const extract = scanPnpmDocument(text, docs[i][0], docs[i][1])
    if (extract === null) return null
    config.push(extract)
  }
  const [start, end] = docs[docs.length - 1]
  if (isJsonAt(text, start, end)) return null
  const extract = scanPnpmDocument(text, start, end)
  return extract === null ? null : { extract, config }
}

/** The offset of the first line of `text[start, end)` that is not blank (`end` when none is). */
function firstContentLine(text: string, start: number, end: number): number {
  let first = start
  while (first < end) {
    const eol = text.indexOf('\n', first)
    if (text.slice(first, eol).trim() !== '') break
    first = eol + 1
  }
  return first
}

/** True when the document `text[start, end)` is JSON-like (v13): its first line that is not blank is `{`. */
function isJsonAt(text: string, start: number, end: number): boolean {
  const first = firstContentLine(text, start, end)
  return first < end && text.startsWith('{\n', first)
}

/**
 * Offset ranges of the documents (first line start, end just past the last line's `\n`), split
 * at `---` lines; `null` for other markers (`...`, `--- x`) or an empty document. `text` ends with `\n`.
 */
function documents(text: string): Array<[number, number]> | null {
  // The markers are searched for by themselves (rare characters skip fast), then checked to start a line.
  for (let at = text.indexOf('...'); at !== -1; at = text.indexOf('...', at + 1)) {
    if (at === 0 || text.charCodeAt(at - 1) === 10 /* \n */) return null
  }
  const docs: Array<[number, number]> = []
  let start = text.startsWith('---\n') ? 4 : 0
  for (let at = text.indexOf('---', start); at !== -1; at = text.indexOf('---', at + 1)) {
    if (at !== 0 && text.charCodeAt(at - 1) !== 10) continue
    if (!text.startsWith('---\n', at) || at === start) return null
    docs.push([start, at])
    start = at + 4
  }
  if (start === text.length) return null
  docs.push([start, text.length])
  return docs
}
