// Example: turn a scratch space into an archive with an integrity, and install it elsewhere.
//
//   node index.mjs     (SCRATCHSPACE_DIR=/tmp/some-store node index.mjs for a throw-away store)
//
// exportScratch writes a deterministic .tar.gz of a space (sorted entries, fixed times and
// modes, no owner ids: the same content gives the same bytes) and returns its SRI integrity.
// importScratch installs such an archive as a space, atomically, after checking the integrity.
// "Elsewhere" is a second store (another machine, a CI cache) selected with withScratchDirectory.
// The archive and the second store go to $EXAMPLE_OUT_DIR if set, else to a temporary
// directory that is removed at the end.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { exportScratch, getScratch, importScratch, scratchDir, scratchPath, ScratchError, withScratchDirectory } from 'pnpm-plugin-scratch'

const ownOut = process.env.EXAMPLE_OUT_DIR === undefined || process.env.EXAMPLE_OUT_DIR === ''
const out = ownOut ? fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-export-import-')) : path.resolve(process.env.EXAMPLE_OUT_DIR)
fs.mkdirSync(out, { recursive: true })
const archive = path.join(out, 'models.tar.gz')
const elsewhere = path.join(out, 'elsewhere-store')

/** Every file under `dir` with its content, for comparing two spaces. */
function snapshot(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((entry) => {
    const rel = path.posix.join(prefix, entry.name)
    return entry.isDirectory() ? snapshot(path.join(dir, entry.name), rel) : [[rel, fs.readFileSync(path.join(dir, entry.name), 'utf8')]]
  })
}

try {
  // 1. A space with some content: what a package computed and wants to ship or cache.
  const models = getScratch('models', import.meta)
  fs.mkdirSync(path.join(models, 'weights'), { recursive: true })
  fs.writeFileSync(path.join(models, 'config.json'), '{ "layers": 3, "activation": "relu" }\n')
  fs.writeFileSync(path.join(models, 'weights', 'layer-0.txt'), '0.12 -0.98 0.33\n')
  fs.writeFileSync(path.join(models, 'weights', 'layer-1.txt'), '1.05 0.07 -0.41\n')
  console.log(`store:      ${scratchDir()}`)
  console.log(`1. space    ${models}: ${snapshot(models).map(([rel]) => rel).join(', ')}`)

  // 2. Export: the integrity is what a consumer pins.
  const { integrity, bytes } = await exportScratch('models', import.meta, archive)
  console.log(`2. export   ${archive} (${bytes} bytes)`)
  console.log(`   integrity ${integrity}`)
  const again = await exportScratch('models', import.meta, path.join(out, 'models-again.tar.gz'))
  console.log(`   exported again: ${again.integrity === integrity ? 'same integrity (deterministic)' : 'DIFFERENT integrity'}`)

  // 3. Import elsewhere, verifying the integrity.
  const imported = await withScratchDirectory(elsewhere, () => importScratch(archive, 'models', import.meta, { integrity }))
  const same = JSON.stringify(snapshot(imported)) === JSON.stringify(snapshot(models))
  console.log(`3. import   ${imported}: ${same ? 'same files and contents' : 'CONTENTS DIFFER'}`)

  // 4. A tampered archive: one byte changed. The import fails and installs nothing.
  const tampered = path.join(out, 'models-tampered.tar.gz')
  const data = fs.readFileSync(archive)
  data[Math.floor(data.length / 2)] ^= 0xff
  fs.writeFileSync(tampered, data)
  try {
    await withScratchDirectory(elsewhere, () => importScratch(tampered, 'models-tampered', import.meta, { integrity }))
    console.log('4. tampered archive: imported (unexpected!)')
    process.exitCode = 1
  } catch (err) {
    if (!(err instanceof ScratchError)) throw err
    const installed = fs.existsSync(withScratchDirectory(elsewhere, () => scratchPath('models-tampered', import.meta)))
    console.log(`4. tampered archive rejected: ${err.code}`)
    console.log(`   ${err.message}`)
    console.log(`   space models-tampered ${installed ? 'EXISTS' : 'was not created'}`)
  }
} finally {
  if (ownOut) fs.rmSync(out, { recursive: true, force: true })
}
