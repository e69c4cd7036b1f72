import { IMPORTER_DEP_FIELDS, type ImporterDep, type PnpmExtract } from './pnpm-extract'
import { endOfBlockScalar, lexLine } from './pnpm-line'

/**
 * The fast path for `pnpm-lock.yaml` v9: a line scanner that collects the keys of the top-level
 * `importers`, `packages` and `snapshots` maps and each importer's dependencies, about a hundred
 * times faster than a general YAML parser.
 *
 * It only accepts the block style pnpm writes: two-space indentation, one key per line, flow
 * collections closed on their own line, block scalars only in values it skips, no duplicate keys,
 * a quoted `lockfileVersion`, and every `key:` that opens a block followed by that block.
 * Anything else returns `null`, meaning "not understood, ask the YAML parser"; `null` never means
 * the file is bad. Duplicate keys are caught at the levels it reads (top level, entries, importer
 * fields and dependencies), not inside the values it skips.
 *
 * @param lines the lines of the whole file, without their `\n`
 * @param start first line of the document
 * @param end line after the document
 * @param source the whole file (`lines` joined with `\n`, no `\r`); with it, the bodies of
 *   `packages`/`snapshots` entries are checked with {@link ENTRY_BODY} a run of lines at a time
 */
export function scanPnpmDocument(lines: readonly string[], start: number, end: number, source?: string): PnpmExtract | null {
  const extract: PnpmExtract = { version: null, importers: null, importerNames: [], packages: null, snapshots: null }
  const topKeys = new Set<string>()
  let section: 'importers' | 'packages' | 'snapshots' | null = null
  let entryKeys: string[] = []
  let entrySet = new Set<string>()
  let importer: ImporterDep[] = []
  let importerFields = new Set<string>()
  let depField = false
  let depNames = new Set<string>()
  let dep: ImporterDep | null = null
  // The document root behaves like a key that opened a block at indent -2.
  let prevIndent = -2
  let prevOpens = true

  // The text offset of line `offsetLine` (kept lazily: only entry bodies need it).
  let offsetLine = 0
  let offset = 0

  for (let n = start; n < end; n++) {
    if (source !== undefined && prevOpens && prevIndent === 2 && section !== null && section !== 'importers') {
      // The body of a `packages`/`snapshots` entry: lines of the shapes ENTRY_BODY accepts are
      // exactly what the per-line path below would accept there (same indents, same blocks
      // opened, nothing read from them, nothing continued on another line). The run ends with a
      // line that opens no block; whatever follows it goes through the per-line path.
      while (offsetLine < n) offset += lines[offsetLine++].length + 1
      ENTRY_BODY.lastIndex = offset
      const match = ENTRY_BODY.exec(source)
      if (match !== null) {
        const stop = offset + match[0].length
        while (offset < stop) offset += lines[offsetLine++].length + 1
        if (offset !== stop || offsetLine > end) return null // cannot happen: the run is whole lines
        const last = lines[offsetLine - 1]
        let indent = 0
        while (last.charCodeAt(indent) === 32) indent++
        prevIndent = indent
        prevOpens = false
        n = offsetLine - 1
        continue
      }
    }
    const text = lines[n]
    if (isBlank(text)) continue
    const line = lexLine(text)
    if (line === null) return null
    const { indent, key, value } = line
    if (prevOpens ? indent !== prevIndent + 2 : indent > prevIndent || indent % 2 !== 0) return null
    if (key === null) {
      // Sequences (`transitivePeerDependencies`, `variants`, …) may only sit below the levels read here.
      if (indent === 0 || (section !== null && indent < 4)) return null
      if (section === 'importers' && (indent < 6 || (depField && indent <= 8))) return null
      const inner = line.entry ?? line
      prevIndent = inner.indent
      prevOpens = inner.value === ''
      continue
    }
    prevIndent = indent
    prevOpens = value === ''
    if (line.block) {
      // Only skipped values may be block scalars; every value read below is checked for `block`.
      const last = endOfBlockScalar(lines, n + 1, end, indent)
      if (last === null) return null
      n = last
    }

    if (indent === 0) {
      if (topKeys.has(key)) return null
      topKeys.add(key)
      section = null
      if (key === 'lockfileVersion') {
        if (!line.quoted) return null
        extract.version = value
      } else if (key === 'importers' || key === 'packages' || key === 'snapshots') {
        if (value !== '' && value !== '{}') return null
        section = key
        if (key === 'importers') {
          extract.importers = new Map()
        } else {
          entryKeys = extract[key] = []
          entrySet = new Set()
          if (key === 'packages') extract.packageSet = entrySet
          else extract.snapshotSet = entrySet
        }
      }
      continue
    }
    if (section === null) continue

    if (indent === 2) {
      if (line.quoted || (value !== '' && !value.startsWith('{'))) return null
      if (section === 'importers') {
        if (value !== '' && value !== '{}') return null
        if (extract.importers!.has(key)) return null
        importer = []
        importerFields = new Set()
        extract.importers!.set(key, importer)
        depField = false
        dep = null
      } else {
        if (entrySet.has(key)) return null
        entrySet.add(key)
        entryKeys.push(key)
      }
      continue
    }
    if (section !== 'importers') continue

    if (indent === 4) {
      if (importerFields.has(key)) return null
      importerFields.add(key)
      dep = null
      depField = IMPORTER_DEP_FIELDS.has(key)
      if (depField) {
        if (value !== '' && value !== '{}') return null
        depNames = new Set()
      }
    } else if (depField && indent === 6) {
      // pnpm writes each importer dependency as a block of `specifier` and `version`.
      if (value !== '' || depNames.has(key)) return null
      depNames.add(key)
      dep = { name: key, version: null }
      importer.push(dep)
    } else if (depField && indent === 8 && key === 'version') {
      if (dep === null || dep.version !== null || value === '' || line.block) return null
      dep.version = value
    }
  }
  if (prevOpens) return null
  return extract
}

// The pieces of ENTRY_BODY, each a subset of what `lexLine` reads as one whole line with the
// same meaning: a plain or single-quoted key of name characters (no quote inside); a plain value
// of name/version characters not ending in `:`, or a one-level flow mapping whose only quotes are
// whole single-quoted scalars and which has no `#`, brackets or line break inside; a sequence item
// that is a plain or single-quoted name.
const KEY = String.raw`(?:[A-Za-z0-9][A-Za-z0-9._@()/+-]*|'[A-Za-z0-9@][A-Za-z0-9._@()/+-]*')`
const VALUE = String.raw`(?:[A-Za-z0-9][A-Za-z0-9._@()/+:-]*[A-Za-z0-9._@()/+-]|[A-Za-z0-9]|\{[^{}[\]'"#\n]*(?:'[^'\n]*'[^{}[\]'"#\n]*)*\})`
const ITEM = String.raw`(?:[A-Za-z0-9][A-Za-z0-9._@()/+-]*|'[A-Za-z0-9@][A-Za-z0-9._@()/+-]*')`
const LINE_8 = `        ${KEY}: ${VALUE}\n`
const LINE_6 = `      (?:${KEY}: ${VALUE}|- ${ITEM})\n|      ${KEY}:\n(?:${LINE_8})+`
const LINE_4 = `    ${KEY}: ${VALUE}\n|    ${KEY}:\n(?:${LINE_6})+`
/**
 * A run of whole lines in the body of a `packages`/`snapshots` entry (the lines after an entry
 * key that opens a block), in the block structure pnpm writes: fields at indent 4, each a scalar
 * or a block of scalars/sequence items at 6, or of blocks of scalars at 8. Every block opened has
 * at least one line, and the run ends with a line that opens nothing. Blank lines, block scalars,
 * double quotes, comments, anchors, tags and anything else end the run.
 */
const ENTRY_BODY = new RegExp(`(?:${LINE_4})+`, 'y')

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    if (line.charCodeAt(i) !== 32) return false
  }
  return true
}
