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

/**
 * {@link checksum} of the text that `bytes[start, end)` encodes, read from the bytes themselves, or
 * null when a byte is not ASCII (then the caller hashes the decoded text). For ASCII each byte is
 * its own UTF-16 code unit, so the result is the same; a loop over bytes runs about four times
 * faster than one over `charCodeAt`, and the readers of the store hash every byte they read
 * (docs/design.md, "The warm gc"). `tail` is hashed after the bytes (code units below 0x80).
 */
export function checksumOfAscii(bytes: Uint8Array, start: number, end: number, tail = ''): string | null {
  // The same offset basis and prime as above (the runtime entry has no bytes to spare for shared constants).
  let hash = 0x811c9dc5
  let high = 0
  for (let i = start; i < end; i++) {
    const byte = bytes[i]
    high |= byte
    hash ^= byte
    hash = Math.imul(hash, 0x01000193)
  }
  if (high >= 0x80) return null
  for (let i = 0; i < tail.length; i++) {
    hash ^= tail.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}
