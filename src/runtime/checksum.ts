/**
 * 32-bit FNV-1a over the UTF-16 code units, as 8 hex digits: the checksum of every access-log line
 * and every sealed state file (docs/design.md, "Store format"). It only has to catch torn or
 * truncated lines, not adversaries, and it avoids loading `node:crypto` (milliseconds) on the
 * first `getScratch` of a process. A leaf module: the runtime and the store readers share it.
 */
export function checksum(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}

// The readers' side below: the same function as a number, from text or from ASCII bytes, and
// compared with the digits in place, without building a string per line (docs/design.md, "The
// warm gc"). The same offset basis and prime as above: the runtime entry, which only writes,
// has no bytes to spare for shared constants.

/** {@link checksum}'s value (unformatted) of `text` from index `from` on. */
export function checksumValue(text: string, from = 0): number {
  let hash = 0x811c9dc5
  for (let i = from; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/**
 * {@link checksumValue} of the text `bytes[start, end)` encodes, then of `tail` (code units below
 * 0x80), read from the bytes themselves; -1 when a byte is not ASCII (the caller then hashes the
 * decoded text). For ASCII each byte is its own UTF-16 code unit, so the value is the same, and
 * a loop over bytes runs three to five times faster than one over `charCodeAt`.
 */
export function checksumValueOfAscii(bytes: Uint8Array, start: number, end: number, tail = ''): number {
  let hash = 0x811c9dc5
  let high = 0
  for (let i = start; i < end; i++) {
    const byte = bytes[i]
    high |= byte
    hash ^= byte
    hash = Math.imul(hash, 0x01000193)
  }
  if (high >= 0x80) return -1
  for (let i = 0; i < tail.length; i++) {
    hash ^= tail.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** True when `text[at, at + 8)` spells `value` as {@link checksum} writes it: 8 lowercase hex digits. */
export function spellsChecksum(text: string, at: number, value: number): boolean {
  for (let i = 0; i < 8; i++) {
    const digit = (value >>> (28 - 4 * i)) & 15
    if (text.charCodeAt(at + i) !== (digit < 10 ? 48 + digit : 87 + digit)) return false
  }
  return true
}

/**
 * The running state of a 32-bit digest over `bytes[start, end)`, four bytes per step
 * (little-endian words, a last partial word zero-padded), continuing from `state` (the previous
 * chunk's) when a file comes in chunks whose lengths are multiples of 4; {@link finishDigest}
 * gives the digest. MurmurHash3's 32-bit steps, not FNV-1a: the folded history's check that the
 * compacted log is byte for byte the file it was derived from (docs/design.md, "The folded
 * history") hashes megabytes, where FNV-1a's byte loop costs four times as much, and every bit of
 * every word must reach every bit of the digest.
 */
export function wordDigest(bytes: Uint8Array, start = 0, end = bytes.length, state = 0): number {
  let hash = state
  let i = start
  for (; i + 4 <= end; i += 4) {
    hash ^= mixWord(bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24))
    hash = (hash << 13) | (hash >>> 19)
    hash = (Math.imul(hash, 5) + 0xe6546b64) | 0
  }
  if (i < end) {
    let word = 0
    for (let shift = 0; i < end; i++, shift += 8) word |= bytes[i] << shift
    hash ^= mixWord(word)
  }
  return hash
}

function mixWord(word: number): number {
  let k = Math.imul(word, 0xcc9e2d51)
  k = (k << 15) | (k >>> 17)
  return Math.imul(k, 0x1b873593)
}

/** The digest of `length` bytes whose {@link wordDigest} state is `state`: the length mixed in (so zero padding counts), then MurmurHash3's finaliser. */
export function finishDigest(state: number, length: number): number {
  let hash = state ^ length
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return hash >>> 0
}
