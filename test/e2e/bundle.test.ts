/**
 * A library that imports the package, bundled by esbuild (ESM and CJS output) the way an
 * application bundles its dependencies, then run with node_modules gone: the ESM entry must be
 * statically analysable (no `createRequire('./index.cjs')`, which no bundler follows), and the
 * archive chunk must come along. Also: ESM and CJS consumers in one process share one instance,
 * whichever loads first. The package is the packed tarball, extracted as npm would install it.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { build } from 'esbuild'
import * as tar from 'tar'
import { e2ePackages } from './harness'

jest.setTimeout(120_000)

let dir: string
beforeEach(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-bundle-')))
  const pkg = path.join(dir, 'node_modules', 'pnpm-plugin-scratch')
  fs.mkdirSync(pkg, { recursive: true })
  await tar.x({ file: e2ePackages().self.tarball, cwd: pkg, strip: 1 })
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "my-lib", "version": "1.0.0" }\n')
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

function runNode(file: string, store: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, SCRATCHSPACE_DIR: store, NODE_PATH: '' } })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

const LIBRARY = `
  import fs from 'node:fs'
  import path from 'node:path'
  import { getScratch, withScratchDirectory, exportScratch, importScratch, ScratchError } from 'pnpm-plugin-scratch'
  const dir = getScratch('cache', { name: 'my-lib' })
  fs.writeFileSync(path.join(dir, 'a.txt'), 'hello')
  const other = withScratchDirectory(process.env.SCRATCHSPACE_DIR + '-other', () => getScratch('cache', { name: 'my-lib' }))
  const archive = path.join(process.env.SCRATCHSPACE_DIR, '..', 'cache.tgz')
  const { integrity } = await exportScratch('cache', { name: 'my-lib' }, archive)
  const copy = await importScratch(archive, 'copy', { name: 'my-lib' }, { integrity })
  let code = null
  try { getScratch('../x', { name: 'my-lib' }) } catch (err) { code = err instanceof ScratchError ? err.code : 'not a ScratchError' }
  console.log(JSON.stringify({ dir, other, copied: fs.readFileSync(path.join(copy, 'a.txt'), 'utf8'), code }))
`

test.each(['esm', 'cjs'] as const)('esbuild bundles a library that imports the package (%s output), and the bundle runs without node_modules', async (format) => {
  fs.writeFileSync(path.join(dir, 'lib.mjs'), format === 'esm' ? LIBRARY : `(async () => {${LIBRARY.replace(/^\s*import .*$/gm, '')}})()`)
  if (format === 'cjs') {
    // A CommonJS library: require, bundled into CommonJS.
    const requires = "const fs = require('node:fs'); const path = require('node:path');\n" +
      "const { getScratch, withScratchDirectory, exportScratch, importScratch, ScratchError } = require('pnpm-plugin-scratch');\n"
    fs.writeFileSync(path.join(dir, 'lib.cjs'), requires + fs.readFileSync(path.join(dir, 'lib.mjs'), 'utf8'))
  }
  const out = path.join(dir, 'out', format === 'esm' ? 'bundle.mjs' : 'bundle.cjs')
  const result = await build({
    entryPoints: [path.join(dir, format === 'esm' ? 'lib.mjs' : 'lib.cjs')], bundle: true, platform: 'node', format, outfile: out,
    absWorkingDir: dir, logLevel: 'silent', write: true,
  })
  expect(result.errors).toEqual([])
  expect(result.warnings.map((w) => w.text)).toEqual([])
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true })
  const store = path.join(dir, 'store')
  const run = runNode(out, store)
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' })
  expect(JSON.parse(run.stdout)).toEqual({
    dir: path.join(store, 'my-lib', 'cache'), other: path.join(`${store}-other`, 'my-lib', 'cache'), copied: 'hello', code: 'ERR_SCRATCH_INVALID_KEY',
  })
})

test('an ES module library bundled to CommonJS (esbuild picks the "import" entry) runs too', async () => {
  fs.writeFileSync(path.join(dir, 'lib.mjs'), "import { getScratch } from 'pnpm-plugin-scratch'\nconsole.log(getScratch('k', { name: 'my-lib' }))\n")
  const out = path.join(dir, 'out', 'esm-to-cjs.cjs')
  await build({ entryPoints: [path.join(dir, 'lib.mjs')], bundle: true, platform: 'node', format: 'cjs', outfile: out, absWorkingDir: dir, logLevel: 'silent' })
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true })
  const run = runNode(out, path.join(dir, 'store'))
  expect({ status: run.status, stderr: run.stderr, stdout: run.stdout.trim() }).toEqual({ status: 0, stderr: '', stdout: path.join(dir, 'store', 'my-lib', 'k') })
})

test('require first, import second: one instance (the same functions, the same withScratchDirectory scope)', () => {
  fs.writeFileSync(path.join(dir, 'both.cjs'), `
    const cjs = require('pnpm-plugin-scratch')
    import('pnpm-plugin-scratch').then((esm) => {
      const same = Object.keys(cjs).every((k) => k === '__esModule' || esm[k] === cjs[k]) && esm.ScratchError === cjs.ScratchError
      const scoped = cjs.withScratchDirectory('/tmp/elsewhere', () => esm.scratchDir('x'))
      console.log(JSON.stringify({ same, scoped }))
    })
  `)
  const run = runNode(path.join(dir, 'both.cjs'), path.join(dir, 'store'))
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' })
  expect(JSON.parse(run.stdout)).toEqual({ same: true, scoped: '/tmp/elsewhere/x' })
})
