import type { PnpmExtract } from './pnpm-extract'
import { PnpmDocumentScan } from './pnpm-scan'

/**
 * The largest piece a lockfile's bytes are turned into text in. V8 puts a string of 128 KiB or
 * more in its large-object space, where each one costs fresh pages: turning a 250 KB lockfile
 * into one string took ~5× as long as turning it into pieces below that size, a tenth of a cold
 * gc's reading (docs/design.md, "Reading lockfiles fast").
 */
export const PIECE_BYTES = 64 * 1024

const NEWLINE = 10
const SPACE = 32

/**
 * The scanner's extract of a one-document `pnpm-lock.yaml` given as ASCII bytes, turned into text
 * and scanned piece by piece ({@link PnpmDocumentScan}), each piece cut just before a line of
 * indent 0 or 2 that is not blank, at most `pieceBytes` long where the text has such a line
 * within that length. `null` whenever the whole text might be read otherwise: a file that does
 * not start with a letter (a `---` marker, a JSON-like document, a blank or indented first line),
 * one with a CR or a NUL, or not ending with a newline, and any document the scanner does not
 * understand. The caller then reads the whole text the usual way; `null` never means the file is bad.
 *
 * @param bytes the file's bytes, all ASCII (so each piece's latin1 text is its UTF-8 text)
 */
export function scanPnpmPieces(bytes: Buffer, pieceBytes = PIECE_BYTES): PnpmExtract | null {
  const n = bytes.length
  if (n === 0 || bytes[n - 1] !== NEWLINE || !isLetter(bytes[0])) return null
  if (bytes.includes(13) || bytes.includes(0)) return null
  const scan = new PnpmDocumentScan()
  for (let start = 0; start < n;) {
    const end = n - start <= pieceBytes ? n : pieceEnd(bytes, start, start + pieceBytes)
    const piece = bytes.toString('latin1', start, end)
    if (!scan.next(piece, 0, piece.length)) return null
    start = end
  }
  return scan.finish()
}

/**
 * Where the piece that starts at `start` ends: the last cut in `(start, limit]`, a line start whose
 * line has indent 0 or 2 and goes on with a character that is neither a space nor a newline;
 * when there is none (an importer with thousands of dependencies), the first cut after `limit`,
 * or the end.
 */
function pieceEnd(bytes: Buffer, start: number, limit: number): number {
  for (let nl = bytes.lastIndexOf(NEWLINE, limit - 1); nl >= start; nl = bytes.lastIndexOf(NEWLINE, nl - 1)) {
    if (isCut(bytes, nl + 1)) return nl + 1
    if (nl === 0) break
  }
  for (let nl = bytes.indexOf(NEWLINE, limit); nl !== -1 && nl < bytes.length - 1; nl = bytes.indexOf(NEWLINE, nl + 1)) {
    if (isCut(bytes, nl + 1)) return nl + 1
  }
  return bytes.length
}

function isCut(bytes: Buffer, at: number): boolean {
  return notIndent(bytes[at]) || (bytes[at] === SPACE && bytes[at + 1] === SPACE && notIndent(bytes[at + 2]))
}

function notIndent(code: number | undefined): boolean {
  return code !== undefined && code !== SPACE && code !== NEWLINE
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
}
