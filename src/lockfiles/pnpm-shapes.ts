/**
 * The block shapes pnpm writes in `pnpm-lock.yaml` v9, as sticky regular expressions the scanner
 * (pnpm-scan.ts) runs at a line start: each accepts only lines the per-line lexer (pnpm-line.ts)
 * reads with the same meaning, so a match may stand for reading them one by one
 * (docs/design.md, "Reading lockfiles fast").
 */

// The pieces of ENTRY_BODY, each a subset of what `lexLine` reads as one whole line with the
// same meaning: a plain or single-quoted key of name characters (no quote inside); a plain value
// of name/version characters not ending in `:`, or a one-level flow mapping whose only quotes are
// whole single-quoted scalars and which has no `#`, brackets or line break inside; a sequence item
// that is a plain or single-quoted name.
const KEY = String.raw`(?:[A-Za-z0-9][A-Za-z0-9._@()/+-]*|'[A-Za-z0-9@][A-Za-z0-9._@()/+-]*')`
const VALUE = String.raw`(?:[A-Za-z0-9][A-Za-z0-9._@()/+:-]*[A-Za-z0-9._@()/+-]|[A-Za-z0-9]|\{[^{}[\]'"#\n]*(?:'[^'\n]*'[^{}[\]'"#\n]*)*\})`
const ITEM = String.raw`(?:[A-Za-z0-9][A-Za-z0-9._@()/+-]*|'[A-Za-z0-9@][A-Za-z0-9._@()/+-]*')`
const LINE_8 = `        ${KEY}: ${VALUE}\n`
// A field that holds a scalar and one that opens a block share `KEY:`, matched once: written as two
// whole alternatives, every block-opening line was read twice (the scan took ~9% longer).
const MAP_6 = `      ${KEY}:(?: ${VALUE}\n|\n(?:${LINE_8})+)`
const SEQ_6 = `      - ${ITEM}\n`
const LINE_4 = `    ${KEY}:(?: ${VALUE}\n|\n(?:(?:${MAP_6})+|(?:${SEQ_6})+))`
/**
 * A run of whole lines in the body of a `packages`/`snapshots` entry (the lines after an entry
 * key that opens a block), in the block structure pnpm writes: fields at indent 4, each a scalar
 * or a block at 6 of either scalars and blocks of scalars at 8, or sequence items (never both).
 * Every block opened has at least one line, the run ends with a line that opens nothing, and the
 * next line that is not empty has indent 4 at most (or there is none). Blank lines, block
 * scalars, double quotes, comments, anchors, tags and anything else end the run.
 */
export const ENTRY_BODY = new RegExp(`(?:${LINE_4})+(?=\\n*(?: {0,4}[^ \\n]|$))`, 'y')

/**
 * One whole `packages`/`snapshots` entry where an entry key may stand: empty lines, the key line
 * (a plain or single-quoted key) and either ` {}` or a body {@link ENTRY_BODY} reads in full,
 * followed by (empty lines and) a line of indent 0 or 2, or the end. The key line is one
 * `lexLine` reads as that key opening a block or holding `{}`; the key holds no `:` or quote.
 */
export const ENTRY = new RegExp(`\\n*  ${KEY}:(?: \\{\\}\\n|\\n(?:${LINE_4})+)(?=\\n*(?:(?:  )?[^ \\n]|$))`, 'y')

// A specifier as the per-line lexer reads a plain value that opens nothing (no space, no leading
// indicator, no trailing `:`), or a whole single-quoted scalar; a locked version as COMMON_LINE
// of pnpm-line.ts reads it (the value kept as written).
const SPECIFIER = String.raw`(?:[A-Za-z0-9^~=<.][A-Za-z0-9^~=<>.:@/_+*-]*[A-Za-z0-9^~=<>.@/_+*-]|[A-Za-z0-9^~=<.]|'(?:[^'\n]|'')*')`
const VERSION = String.raw`(?:[A-Za-z0-9][A-Za-z0-9._@()/+:-]*[A-Za-z0-9._@()/+-]|[A-Za-z0-9])`
/** One importer dependency as pnpm writes it: the name (captured as written) and its version (captured). */
export const IMPORTER_DEP = new RegExp(`      (${KEY}):\\n        specifier: ${SPECIFIER}\\n        version: (${VERSION})\\n`, 'y')
