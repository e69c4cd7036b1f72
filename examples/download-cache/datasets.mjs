// The library: datasets downloaded once and kept in this package's scratch space
// `<store>/example-download-cache/downloads`. The space belongs to this package (found from
// import.meta), so it is garbage-collected once no project has the package installed any more.
import fs from 'node:fs'
import path from 'node:path'
import { getScratch } from 'pnpm-plugin-scratch'

// Synchronous and idempotent: creates the directory if missing (also after someone deleted it).
const downloads = getScratch('downloads', import.meta)

/**
 * The path of dataset `name` (`<name>.csv` under `baseUrl`), downloaded on first use.
 * Resolves to `{ file, from }`, where `from` is 'downloaded' or 'cached'.
 */
export async function downloadDataset(name, baseUrl) {
  const file = path.join(downloads, `${name}.csv`)
  if (fs.existsSync(file)) return { file, from: 'cached' }
  const response = await fetch(new URL(`${name}.csv`, baseUrl))
  if (!response.ok) throw new Error(`GET ${response.url}: HTTP ${response.status}`)
  const temp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temp, Buffer.from(await response.arrayBuffer()))
  fs.renameSync(temp, file) // never leave a half-written file under the final name
  return { file, from: 'downloaded' }
}
