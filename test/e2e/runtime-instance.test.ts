/**
 * The built bundles share one runtime: dist/gc.cjs and dist/archive.mjs link to the instance the
 * runtime entry keeps on globalThis instead of carrying their own copy of the runtime code
 * (docs/design.md, "Package layout"), so errors are one class and state (the root override of
 * withScratchDirectory) is one state, whichever entry a process loaded first.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { builtRuntime, repoRoot } from '../helpers/dist'
import { tempDir } from '../helpers/tmp'

const dist = path.join(repoRoot, 'dist')
beforeAll(() => builtRuntime())

function run(args: string[], store: string): unknown {
  const out = execFileSync(process.execPath, args, { env: { ...process.env, SCRATCHSPACE_DIR: store }, encoding: 'utf8' })
  return JSON.parse(out)
}

// Spaces made through the runtime entry inside withScratchDirectory(other), then cleared by the
// gc bundle inside the same override: the gc sees the entry's override only if they share it.
const probe = (api: string, gc: string): string => `
  const fs = require('node:fs'), path = require('node:path')
  const other = path.join(process.env.SCRATCHSPACE_DIR, '..', 'other')
  ;(async () => {
    const api = ${api}
    const gc = ${gc}
    const result = {}
    try { await gc.clearSpaces({ owners: ['Bad Name'] }) } catch (err) { result.gcError = { code: err.code, isScratchError: err instanceof api.ScratchError } }
    result.cleared = await api.withScratchDirectory(other, async () => {
      api.getScratch('data', { name: 'pkg-a' })
      const report = await gc.clearSpaces({ owners: ['pkg-a'] })
      return report.spaces.map((s) => s.path.startsWith(other + path.sep) && s.action)
    })
    process.stdout.write(JSON.stringify(result))
  })().catch((err) => { console.error(err); process.exit(1) })
`
const expected = { gcError: { code: 'ERR_SCRATCH_INVALID_OWNER', isScratchError: true }, cleared: ['deleted'] }

test('no bundle but the runtime entries holds the ScratchError class or the runtime code', () => {
  const defines = (file: string): boolean => fs.readFileSync(path.join(dist, file), 'utf8').includes('this.name="ScratchError"')
  expect(['index.cjs', 'index.mjs', 'gc.cjs', 'archive.mjs'].map((f) => [f, defines(f)])).toEqual([
    ['index.cjs', true], ['index.mjs', true], ['gc.cjs', false], ['archive.mjs', false],
  ])
  // getScratch's access recording is runtime code: gc.cjs reaches it only through the instance.
  expect(fs.readFileSync(path.join(dist, 'gc.cjs'), 'utf8')).toContain('require("./index.cjs")')
})

test('CommonJS: gc.cjs shares the error class and the root override of dist/index.cjs', () => {
  const store = path.join(tempDir(), 'store')
  const script = probe(`require(${JSON.stringify(path.join(dist, 'index.cjs'))})`, `require(${JSON.stringify(path.join(dist, 'gc.cjs'))})`)
  expect(run(['-e', script], store)).toEqual(expected)
})

test('ESM first: gc.cjs links to the instance dist/index.mjs created', () => {
  const store = path.join(tempDir(), 'store')
  const mjs = pathToFileURL(path.join(dist, 'index.mjs')).href
  const script = probe(`await import(${JSON.stringify(mjs)})`, `require(${JSON.stringify(path.join(dist, 'gc.cjs'))})`)
  expect(run(['-e', script], store)).toEqual(expected)
})
