/** The built package as its users load it: require, import and TypeScript through the `exports` map. */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { builtRuntime, linkSelf, repoRoot } from '../helpers/dist'
import { runNodeFile } from '../helpers/tmp'
import { useSandbox, writePackage } from './support'

const box = useSandbox()
let project: string
beforeAll(() => { builtRuntime() })
beforeEach(() => {
  project = writePackage(path.join(box.tmp, 'consumer'), { name: 'consumer', version: '1.0.0' }, {
    'index.cjs': `
      const path = require('node:path')
      const scratch = require('pnpm-plugin-scratch')
      const dir = scratch.getScratch('cache', __dirname)
      let code
      try { scratch.getScratch('../escape', __dirname) } catch (err) { code = err instanceof scratch.ScratchError && err.code }
      const loaded = Object.keys(require.cache).filter((file) => file !== __filename)
      console.log(JSON.stringify({ dir, code, keys: Object.keys(scratch).filter((k) => k !== '__esModule').sort(), loaded }))
    `,
    'index.mjs': `
      import { createRequire } from 'node:module'
      import * as esm from 'pnpm-plugin-scratch'
      import { getScratch, versionedKey, withScratchDirectory, ScratchError } from 'pnpm-plugin-scratch'
      const cjs = createRequire(import.meta.url)('pnpm-plugin-scratch')
      const dir = getScratch(versionedKey('cache', '2.5.1'), import.meta)
      const cjsKeys = Object.keys(cjs).filter((k) => k !== '__esModule').sort()
      const shared = cjsKeys.every((k) => esm[k] === cjs[k]) && esm.ScratchError === ScratchError
      const overridden = withScratchDirectory(process.argv[2], () => cjs.scratchDir('x'))
      console.log(JSON.stringify({ dir, shared, esmKeys: Object.keys(esm).sort(), cjsKeys, overridden }))
    `,
  })
  linkSelf(project)
})

const API = [
  'ScratchError', 'clearScratchspaces', 'deleteScratch', 'ensureScratch', 'getGlobalScratch', 'getScratch',
  'scratchDir', 'scratchPath', 'versionedKey', 'withScratchDirectory',
]

test('a CommonJS consumer requires the package and loads nothing but the runtime entry', async () => {
  const result = await runNodeFile(path.join(project, 'index.cjs'), { cwd: project, env: { SCRATCHSPACE_DIR: box.store } })
  expect(result).toMatchObject({ code: 0, stderr: '' })
  const out = JSON.parse(result.stdout)
  expect(out).toMatchObject({ dir: path.join(box.store, 'consumer', 'cache'), code: 'ERR_SCRATCH_INVALID_KEY' })
  expect(out.keys).toEqual(expect.arrayContaining(API))
  expect(out.loaded).toEqual([path.join(repoRoot, 'dist', 'index.cjs')])
  expect(fs.statSync(out.dir).isDirectory()).toBe(true)
})

test('an ES module consumer imports named exports, and shares one instance with require', async () => {
  const other = path.join(box.tmp, 'other')
  const result = await runNodeFile(path.join(project, 'index.mjs'), { cwd: project, env: { SCRATCHSPACE_DIR: box.store }, args: [other] })
  expect(result).toMatchObject({ code: 0, stderr: '' })
  const out = JSON.parse(result.stdout)
  expect(out).toMatchObject({ dir: path.join(box.store, 'consumer', 'cache-2.5'), shared: true, overridden: path.join(other, 'x') })
  expect(out.esmKeys).toEqual(out.cjsKeys)
  expect(out.esmKeys).toEqual(expect.arrayContaining(API))
})

test('TypeScript consumers type-check against both entry points (module nodenext)', () => {
  const use = `
    const owner: Owner = { name: 'consumer' }
    const dir: string = getScratch(versionedKey('k', '1.0.0', 'major'), owner, { caller: { name: 'x', version: '1.0.0' } })
    const done: Promise<string> = ensureScratch('k', owner, async (tmp: string) => { void tmp })
    const cleared: { removed: string[]; bytes: number } = clearScratchspaces(null)
    const e: ScratchError = new ScratchError('ERR_SCRATCH_USAGE', 'm')
    export const all = [dir, done, cleared, e.code, withScratchDirectory('/tmp', () => scratchDir('a'))]
  `
  const header = "import { getScratch, versionedKey, ensureScratch, clearScratchspaces, ScratchError, withScratchDirectory, scratchDir, type Owner } from 'pnpm-plugin-scratch'\n"
  // The same source as ESM (.mts: the "import" types) and as CommonJS (.cts: the "require" types).
  fs.writeFileSync(path.join(project, 'esm.mts'), header + use)
  fs.writeFileSync(path.join(project, 'cjs.cts'), header + use)
  fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true },
    files: ['esm.mts', 'cjs.cts'],
  }))
  // Like any Node project, the consumer has @types/node (the declarations mention NodeJS.ProcessEnv).
  fs.mkdirSync(path.join(project, 'node_modules', '@types'))
  fs.symlinkSync(path.join(repoRoot, 'node_modules', '@types', 'node'), path.join(project, 'node_modules', '@types', 'node'), 'dir')
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')
  expect(spawnSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8' })).toMatchObject({ status: 0, stdout: '' })
})
