import { IMPORTER_DEP_FIELDS, type ImporterDep, type PnpmExtract } from './pnpm-extract'
import { endOfBlockScalar, lexLineAt } from './pnpm-line'
import { EntryKeys } from './pnpm-entry-keys'
import { ENTRY, ENTRY_BODY, IMPORTER_DEP } from './pnpm-shapes'

/**
 * The fast path for `pnpm-lock.yaml` v9: a scanner that collects the keys of the top-level
 * `importers`, `packages` and `snapshots` maps and each importer's dependencies, about a hundred
 * times faster than a general YAML parser. It walks the text in place, line start to line start
 * (docs/design.md, "Reading lockfiles fast"): a whole `packages`/`snapshots` entry or importer
 * dependency is one match (pnpm-shapes.ts), and every other line goes through the per-line lexer.
 *
 * It only accepts the block style pnpm writes: two-space indentation, one key per line, flow
 * collections closed on their own line, block scalars only in values it skips, no duplicate keys,
 * a quoted `lockfileVersion`, and every `key:` that opens a block followed by that block.
 * Anything else returns `null`, meaning "not understood, ask the YAML parser"; `null` never means
 * the file is bad. Duplicate keys are caught at the levels it reads (top level, entries, importer
 * fields and dependencies), not inside the values it skips; a block is all keys or all sequence
 * items; a flow collection in a skipped value (`{integrity: …}`, `[x64]`) is checked for balance
 * and quotes only, not for its inner syntax.
 *
 * @param source the whole file, every line ending with `\n`, no `\r`
 * @param start offset of the document's first line
 * @param end offset just past the document's last `\n`
 */
export function scanPnpmDocument(source: string, start: number, end: number): PnpmExtract | null {
  const scan = new PnpmDocumentScan()
  return scan.next(source, start, end) ? scan.finish() : null
}

/**
 * {@link scanPnpmDocument} over a document given in pieces, one after the other (see
 * pnpm-pieces.ts): each piece is whole lines, and every piece but the first starts with a line of
 * indent 0 or 2 that is not blank. Reading the pieces one by one reads what the whole text would
 * (docs/design.md, "Reading lockfiles fast"): every multi-line match (ENTRY, ENTRY_BODY,
 * IMPORTER_DEP) stops before such a line anyway, and their look-ahead, which meets the end of
 * the piece there, asks for no more than such a line. A block scalar that runs to the end of a
 * piece ends there too, or, when a top-level key's scalar goes on at indent 2 in the whole text,
 * the next piece's first line is deeper than the key of a value, which is not understood.
 */
export class PnpmDocumentScan {
  private readonly extract: PnpmExtract = { version: null, importers: null, importerNames: [], packages: null, snapshots: null }
  private readonly topKeys = new Set<string>()
  private section: 'importers' | 'packages' | 'snapshots' | null = null
  private entries = new EntryKeys([])
  private importer: ImporterDep[] = []
  private importerFields = new Set<string>()
  private depField = false
  private depNames = new Set<string>()
  private dep: ImporterDep | null = null
  // The document root behaves like a key that opened a block at indent -2.
  private prevIndent = -2
  private prevOpens = true
  // Per indent level (indent / 2), whether the block there is a mapping or a sequence: set by
  // its first line, and every later line of the block must be of the same kind.
  private readonly kinds: number[] = []
  private understood = true

  /**
   * Scans `source[start, end)`, the next piece. False when the document is not understood (then
   * it stays so).
   */
  next(source: string, start: number, end: number): boolean {
    if (!this.understood) return false
    this.understood = false
    const { extract, topKeys, kinds } = this
    // The state the loop changes lives in locals while it runs, and goes back at the end of the
    // piece: every field reassigned below is in both lists (the piece tests cut at every line).
    let { section, entries, importer, importerFields, depField, depNames, dep, prevIndent, prevOpens } = this
    let pos = start
    while (pos < end) {
      if (section === 'packages' || section === 'snapshots') {
        // Where an entry key may stand (right after the section key, or after an entry or its
        // body), a whole entry of the shapes ENTRY accepts is what the per-line path would read
        // the same way, line by line.
        if (prevOpens ? prevIndent === 0 : prevIndent >= 2) {
          ENTRY.lastIndex = pos
          if (ENTRY.test(source) && ENTRY.lastIndex <= end) {
            // The key is cut out by hand (no match array): it starts after the empty lines and two
            // spaces and ends at the first `:`, which no key ENTRY accepts contains.
            let keyStart = pos
            while (source.charCodeAt(keyStart) === NEWLINE) keyStart++
            keyStart += 2
            const keyEnd = source.indexOf(':', keyStart)
            const key = source.charCodeAt(keyStart) === SINGLE ? source.slice(keyStart + 1, keyEnd - 1) : source.slice(keyStart, keyEnd)
            if (!entries.add(key)) return false
            pos = ENTRY.lastIndex
            kinds[1] = MAPPING
            // ENTRY saw that the next line that is not empty has indent 0 or 2 (or that there is
            // none), which passes the indent check after any indent from 2 up: 2 stands for them all.
            prevIndent = 2
            prevOpens = false
            continue
          }
        } else if (prevOpens && prevIndent === 2) {
          // The body of an entry whose key line took the per-line path.
          ENTRY_BODY.lastIndex = pos
          if (ENTRY_BODY.test(source) && ENTRY_BODY.lastIndex <= end) {
            pos = ENTRY_BODY.lastIndex
            // Lines at indent 4 are keys; ENTRY_BODY saw that no line deeper than 4 follows.
            kinds[2] = MAPPING
            prevIndent = lastLineIndent(source, pos)
            prevOpens = false
            continue
          }
        }
      }
      if (section === 'importers' && depField && (prevOpens ? prevIndent === 4 : prevIndent >= 6)) {
        // Where a dependency of an importer may stand, the three lines pnpm writes for it
        // (`name:`, `specifier:`, `version:`) in one match, read as the per-line path reads them.
        IMPORTER_DEP.lastIndex = pos
        const match = IMPORTER_DEP.exec(source)
        if (match !== null && IMPORTER_DEP.lastIndex <= end) {
          const raw = match[1]
          const name = raw.charCodeAt(0) === SINGLE ? raw.slice(1, -1) : raw
          if (depNames.has(name)) return false
          depNames.add(name)
          dep = { name, version: match[2] }
          importer.push(dep)
          kinds[3] = MAPPING
          kinds[4] = MAPPING
          prevIndent = 8
          prevOpens = false
          pos = IMPORTER_DEP.lastIndex
          continue
        }
      }
      const eol = source.indexOf('\n', pos)
      let first = pos
      while (source.charCodeAt(first) === SPACE) first++
      if (first === eol) {
        pos = eol + 1
        continue
      }
      const line = lexLineAt(source, pos, eol)
      pos = eol + 1
      if (line === null) return false
      const { indent, key, value } = line
      if (prevOpens ? indent !== prevIndent + 2 : indent > prevIndent || indent % 2 !== 0) return false
      const kind = key === null ? SEQUENCE : MAPPING
      if (prevOpens) kinds[indent >> 1] = kind
      else if (kinds[indent >> 1] !== kind) return false
      if (key === null) {
        // Sequences (`transitivePeerDependencies`, `variants`, …) may only sit below the levels read here.
        if (indent === 0 || (section !== null && indent < 4)) return false
        if (section === 'importers' && (indent < 6 || (depField && indent <= 8))) return false
        const inner = line.entry ?? line
        // `- key: value` starts a mapping at the column of `key`.
        if (line.entry !== undefined) kinds[inner.indent >> 1] = MAPPING
        prevIndent = inner.indent
        prevOpens = inner.value === ''
        continue
      }
      prevIndent = indent
      prevOpens = value === ''
      if (line.block) {
        // Only skipped values may be block scalars; every value read below is checked for `block`.
        pos = endOfBlockScalar(source, pos, end, indent)
        if (pos === -1) return false
      }

      if (indent === 0) {
        if (topKeys.has(key)) return false
        topKeys.add(key)
        section = null
        if (key === 'lockfileVersion') {
          if (!line.quoted) return false
          extract.version = value
        } else if (key === 'importers' || key === 'packages' || key === 'snapshots') {
          if (value !== '' && value !== '{}') return false
          section = key
          if (key === 'importers') extract.importers = new Map()
          else entries = new EntryKeys(extract[key] = [])
        }
        continue
      }
      if (section === null) continue

      if (indent === 2) {
        if (line.quoted || (value !== '' && !value.startsWith('{'))) return false
        if (section === 'importers') {
          if (value !== '' && value !== '{}') return false
          if (extract.importers!.has(key)) return false
          importer = []
          importerFields = new Set()
          extract.importers!.set(key, importer)
          depField = false
          dep = null
        } else if (!entries.add(key)) {
          return false
        }
        continue
      }
      if (section !== 'importers') continue

      if (indent === 4) {
        if (importerFields.has(key)) return false
        importerFields.add(key)
        dep = null
        depField = IMPORTER_DEP_FIELDS.has(key)
        if (depField) {
          if (value !== '' && value !== '{}') return false
          depNames = new Set()
        } else if (key === 'name' || key === 'specifier' || key === 'version' || (value.startsWith('{') && value !== '{}')) {
          // An importer's own `name`, and what may be a dependency outside any dependency section
          // (a lost `dependencies:` line moves its entries up a level; in flow form its keys may be
          // written escaped), are the YAML path's to read and refuse (see `strayDependency`).
          return false
        }
      } else if (!depField && indent === 6 && (key === 'specifier' || key === 'version')) {
        // The block form of the same: a field outside the dependency sections shaped like a dependency.
        return false
      } else if (depField && indent === 6) {
        // pnpm writes each importer dependency as a block of `specifier` and `version`.
        if (value !== '' || depNames.has(key)) return false
        depNames.add(key)
        dep = { name: key, version: null }
        importer.push(dep)
      } else if (depField && indent === 8 && key === 'version') {
        if (dep === null || dep.version !== null || value === '' || line.block) return false
        dep.version = value
      }
    }
    Object.assign(this, { section, entries, importer, importerFields, depField, depNames, dep, prevIndent, prevOpens })
    this.understood = true
    return true
  }

  /** The extract, once every piece is scanned; null when the document is not understood. */
  finish(): PnpmExtract | null {
    return this.understood && !this.prevOpens ? this.extract : null
  }
}

const NEWLINE = 10
const SPACE = 32
const SINGLE = 39 // '
const MAPPING = 1
const SEQUENCE = 2

/** The indent of the line that ends just before `pos` (a line start). */
function lastLineIndent(source: string, pos: number): number {
  const lineStart = source.lastIndexOf('\n', pos - 2) + 1
  let indent = 0
  while (source.charCodeAt(lineStart + indent) === SPACE) indent++
  return indent
}
