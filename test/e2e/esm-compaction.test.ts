/**
 * The runtime entries start the background compaction of an access log past 8 MiB from either
 * module system: the ESM entry finds the gc bundle beside it through import.meta.url (it has no
 * __dirname of its own) and starts it without `require` (docs/design.md, "Package layout").
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { encodeRecord } from '../../src/runtime/access-log'
import { accessLogPath, bookkeepingDir } from '../../src/runtime/layout'
import { builtRuntime } from '../helpers/dist'
import { tempDir } from '../helpers/tmp'

const MiB = 1024 ** 2
let dist: { cjs: string; mjs: string }
beforeAll(() => { dist = builtRuntime() })

/** A real access log of `bytes` (one block of 200 valid records, repeated) for spaces of pkg-0…pkg-9. */
function writeBigLog(store: string, bytes: number): void {
  const now = Date.now()
  const lines = Array.from({ length: 200 }, (_, i) => {
    const owner = `pkg-${i % 10}`
    return encodeRecord({ t: 'access', space: `${owner}/cache`, owner, caller: owner, project: null, time: new Date(now - i * 1000).toISOString(), pid: 1000 + i })
  })
  const block = Buffer.from(lines.join(''))
  fs.mkdirSync(bookkeepingDir(store), { recursive: true })
  fs.writeFileSync(accessLogPath(store), Buffer.concat(Array.from({ length: Math.ceil(bytes / block.length) }, () => block)))
}

function logBytes(store: string): number {
  const book = bookkeepingDir(store)
  return fs.readdirSync(book).filter((name) => /^access\..*log$/.test(name)).reduce((sum, name) => sum + fs.statSync(path.join(book, name)).size, 0)
}

test.each(['cjs', 'mjs'] as const)('index.%s: one getScratch on a 9 MiB log starts a background compaction', async (entry) => {
  const store = path.join(tempDir(), 'store')
  writeBigLog(store, 9 * MiB)
  const args = entry === 'cjs'
    ? ['-e', `require(${JSON.stringify(dist.cjs)}).getScratch('fresh', { name: 'pkg-0' })`]
    : ['--input-type=module', '-e', `import { getScratch } from ${JSON.stringify(pathToFileURL(dist.mjs).href)}; getScratch('fresh', { name: 'pkg-0' })`]
  execFileSync(process.execPath, args, { env: { ...process.env, SCRATCHSPACE_DIR: store }, stdio: 'pipe' })
  // The compaction runs in a detached process: wait for it, up to a minute.
  const started = Date.now()
  let after = logBytes(store)
  while (after > 64 * 1024 && Date.now() - started < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    after = logBytes(store)
  }
  expect(after).toBeLessThan(64 * 1024)
}, 90_000)
