import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { useTempStore } from './helpers'

// Drives the built package, so run `npm run build` first (`npm test` does, through pretest).
const dist = path.resolve(__dirname, '../../dist')
const env = useTempStore()

function run(args: string[]): unknown {
  const out = execFileSync(process.execPath, args, { env: { ...process.env, SCRATCHSPACE_DIR: env.store() }, encoding: 'utf8' })
  return JSON.parse(out)
}

describe('the built package', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(dist, 'archive.mjs'))) throw new Error('dist/archive.mjs is missing: run `npm run build` first')
  })

  test('the runtime entry does not bundle node-tar; the archive chunk does', () => {
    const entry = fs.readFileSync(path.join(dist, 'index.cjs'), 'utf8')
    const chunk = fs.readFileSync(path.join(dist, 'archive.mjs'), 'utf8')
    for (const marker of ['TAR_BAD_ARCHIVE', 'ustar', 'PaxHeader']) {
      expect(entry).not.toContain(marker)
      expect(chunk).toContain(marker)
    }
    expect(entry).toContain('import("./archive.mjs")')
  })

  test('exportScratch and importScratch work end to end from dist/index.cjs, loading the chunk lazily', () => {
    const script = `
      const fs = require('node:fs'), path = require('node:path')
      const api = require(${JSON.stringify(path.join(dist, 'index.cjs'))})
      // The chunk is an ES module (not in require.cache); it is the only part that loads zlib.
      const chunkLoaded = () => process.moduleLoadList.includes('NativeModule zlib')
      ;(async () => {
        const result = { loadedAtStart: chunkLoaded() }
        const space = api.getScratch('data', { name: 'pkg-a' })
        fs.mkdirSync(path.join(space, 'sub'))
        fs.writeFileSync(path.join(space, 'sub', 'f.txt'), 'hello')
        const file = path.join(process.env.SCRATCHSPACE_DIR, '..', 'data.tar.gz')
        const exported = await api.exportScratch('data', { name: 'pkg-a' }, file)
        result.loadedAfterExport = chunkLoaded()
        result.integrity = exported.integrity
        const target = await api.importScratch(file, 'copy', null, { integrity: exported.integrity })
        result.content = fs.readFileSync(path.join(target, 'sub', 'f.txt'), 'utf8')
        try {
          await api.importScratch(file, 'copy2', null, { integrity: 'sha512-' + Buffer.alloc(64).toString('base64') })
        } catch (err) {
          result.integrityError = { code: err.code, isScratchError: err instanceof api.ScratchError }
        }
        fs.writeFileSync(file, 'garbage'.repeat(100))
        try {
          await api.importScratch(file, 'copy3', null)
        } catch (err) {
          result.unsafeError = { code: err.code, isScratchError: err instanceof api.ScratchError }
        }
        process.stdout.write(JSON.stringify(result))
      })().catch((err) => { console.error(err); process.exit(1) })
    `
    expect(run(['-e', script])).toEqual({
      loadedAtStart: false,
      loadedAfterExport: true,
      integrity: expect.stringMatching(/^sha512-/),
      content: 'hello',
      integrityError: { code: 'ERR_SCRATCH_INTEGRITY', isScratchError: true },
      unsafeError: { code: 'ERR_SCRATCH_UNSAFE_ARCHIVE', isScratchError: true },
    })
  })

  test('the ESM entry exports both functions', () => {
    const script = `
      import { exportScratch, importScratch } from ${JSON.stringify(pathToFileURL(path.join(dist, 'index.mjs')).href)}
      process.stdout.write(JSON.stringify([typeof exportScratch, typeof importScratch]))
    `
    expect(run(['--input-type=module', '-e', script])).toEqual(['function', 'function'])
  })
})
