// Example: a space that regenerates itself when it is missing or empty (ensureScratch).
//
//   node index.mjs     (SCRATCHSPACE_DIR=/tmp/some-store node index.mjs for a throw-away store)
//
// `ensureScratch(key, owner, populate)` runs `populate` only when the space is missing or
// empty. `populate` fills a fresh temporary directory next to the space, which is then renamed
// into place, so no caller (in this process or another) ever sees a half-filled space, and a
// populate that throws leaves nothing behind. Here the "expensive" work is writing a small
// lookup table; think of compiled objects or an unpacked toolchain.
import fs from 'node:fs'
import path from 'node:path'
import { deleteScratch, ensureScratch, scratchDir } from 'pnpm-plugin-scratch'

let populated = 0

/** The space `tables`, built if it is missing or empty. */
function tables() {
  return ensureScratch('tables', import.meta, (dir) => {
    populated += 1
    const squares = Array.from({ length: 16 }, (_, i) => i * i)
    fs.writeFileSync(path.join(dir, 'squares.json'), `${JSON.stringify(squares)}\n`)
    fs.writeFileSync(path.join(dir, 'built-at.txt'), `${new Date().toISOString()}\n`)
  })
}

/** Calls tables() and says whether populate ran. */
async function step(label) {
  const before = populated
  const dir = await tables()
  const what = populated > before ? 'populated' : 'already there, populate skipped'
  console.log(`${label.padEnd(28)} ${what}: ${fs.readdirSync(dir).sort().join(', ')}`)
  return dir
}

console.log(`store: ${scratchDir()}`)
const dir = await step('1. ensureScratch')
console.log(`   space: ${dir}`)
await step('2. ensureScratch again')

for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name))
console.log('3. emptied the space (its files removed)')
await step('   ensureScratch')

console.log(`4. deleteScratch('tables') -> ${deleteScratch('tables', import.meta)}`)
await step('   ensureScratch')

console.log(`populate ran ${populated} time(s)`)
