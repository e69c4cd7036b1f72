// @example-ws/b (ESM): a thumbnail cache in its own scratch space, created when loaded, and
// a look at @example-ws/a's search index. Reading another package's space with `caller` makes
// b a user of that space too: gc keeps it while either package is installed somewhere.
import fs from 'node:fs'
import path from 'node:path'
import { getScratch } from 'pnpm-plugin-scratch'

export const name = '@example-ws/b'
export const space = getScratch('thumbnails', import.meta) // <store>/@example-ws/b/thumbnails
fs.writeFileSync(path.join(space, 'logo.txt'), '[a 16x16 thumbnail]\n')

export const sharedIndex = getScratch('search-index', { name: '@example-ws/a' }, { caller: import.meta })
