// @example-ws/app: depends on @example-ws/a and @example-ws/b (workspace:*). Loading them creates
// their scratch spaces; this prints where they are and what the store holds.
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { scratchDir } from 'pnpm-plugin-scratch'
import * as b from '@example-ws/b'

const a = createRequire(import.meta.url)('@example-ws/a')

console.log(`store: ${scratchDir()}`)
console.log(`${a.name} space: ${a.space}`)
console.log(`${b.name} space: ${b.space}`)
console.log(`${b.name} also uses: ${b.sharedIndex}`)

const spaces = []
for (const scope of fs.readdirSync(scratchDir()).filter((name) => name.startsWith('@')).sort()) {
  for (const pkg of fs.readdirSync(scratchDir(scope)).sort()) {
    for (const key of fs.readdirSync(scratchDir(scope, pkg)).sort()) spaces.push(path.posix.join(scope, pkg, key))
  }
}
console.log(`scoped spaces in the store: ${spaces.join(', ')}`)
