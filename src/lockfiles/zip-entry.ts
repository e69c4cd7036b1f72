
const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
// A package.json is small; a larger "manifest" is damage, not something to inflate.
const MAX_ENTRY_BYTES = 16 * 1024 * 1024

/**
 * The bytes of the entry `name` in the zip archive `zip` (stored or deflated, as yarn writes its
 * cache archives), or `null` when the archive has no such entry or is not a zip this reads
 * (zip64, encrypted, damaged). Reads only the central directory and that one entry.
 */
export function zipEntry(zip: Buffer, name: string): Buffer | null {
  const end = findEndOfCentralDirectory(zip)
  if (end === -1) return null
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) return null
    const flags = zip.readUInt16LE(at + 8)
    const method = zip.readUInt16LE(at + 10)
    const compressed = zip.readUInt32LE(at + 20)
    const size = zip.readUInt32LE(at + 24)
    const nameLength = zip.readUInt16LE(at + 28)
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
    const local = zip.readUInt32LE(at + 42)
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      if ((flags & 1) !== 0 || size > MAX_ENTRY_BYTES) return null
      return entryData(zip, local, method, compressed, size)
    }
    at += 46 + skip
  }
  return null
}

function entryData(zip: Buffer, local: number, method: number, compressed: number, size: number): Buffer | null {
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) return null
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
  if (start + compressed > zip.length) return null
  const data = zip.subarray(start, start + compressed)
  try {
    if (method === 0) return data.length === size ? data : null
    // node:zlib is loaded here, by the one reader that needs it (~2 ms to load).
    if (method === 8) return (require('node:zlib') as typeof import('node:zlib')).inflateRawSync(data, { maxOutputLength: MAX_ENTRY_BYTES })
  } catch {
    return null
  }
  return null
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  for (let at = zip.length - 22; at >= 0 && at >= zip.length - 22 - 0xffff; at--) {
    if (zip.readUInt32LE(at) === EOCD) return at
  }
  return -1
}
