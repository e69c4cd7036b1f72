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
