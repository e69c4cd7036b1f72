/**
 * What loading a runtime entry and its first getScratch load (docs/design.md, "The first
 * call"): no Node module beyond those Node itself starts with (node:os only for a root under the
 * home directory; child_process and worker_threads never), and an ES module entry that imports
 * no builtin statically but node:module, working also where `process.getBuiltinModule` is
 * missing (Node before 20.16).
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { builtRuntime } from '../helpers/dist'
import { tempDir } from '../helpers/tmp'

let dist: { cjs: string; mjs: string }
beforeAll(() => { dist = builtRuntime() })

// The program below imports the entry, makes one space, checks withScratchDirectory, and prints
// the modules the process loaded; the baseline is a process that loads an empty module instead.
function emptyModuleLoads(entry: 'cjs' | 'mjs'): Set<string> {
  const empty = path.join(tempDir(), `empty.${entry}`)
  fs.writeFileSync(empty, '')
  const args = entry === 'cjs'
    ? ['-e', `require(${JSON.stringify(empty)}); console.log(JSON.stringify(process.moduleLoadList))`]
    : ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(empty).href)}); console.log(JSON.stringify(process.moduleLoadList))`]
  return new Set(JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' })) as string[])
}
const body = `
  const dir = api.getScratch('k', { name: 'p' })
  const scoped = api.withScratchDirectory(process.env.SCRATCHSPACE_DIR + '-other', () => api.scratchDir('x'))
  console.log(JSON.stringify({ dir, scoped, loaded: process.moduleLoadList }))
`
function run(entry: 'cjs' | 'mjs', env: NodeJS.ProcessEnv, prelude = ''): { dir: string; scoped: string; loaded: string[] } {
  const args = entry === 'cjs'
    ? ['-e', `${prelude}\nconst api = require(${JSON.stringify(dist.cjs)})\n${body}`]
    : ['--input-type=module', '-e', `${prelude}\nconst api = await import(${JSON.stringify(pathToFileURL(dist.mjs).href)})\n${body}`]
  return JSON.parse(execFileSync(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' })) as { dir: string; scoped: string; loaded: string[] }
}

describe.each(['cjs', 'mjs'] as const)('index.%s', (entry) => {
  test('import and a first getScratch load no Node module an empty module does not (SCRATCHSPACE_DIR set; ESM: node:module)', () => {
    const store = path.join(tempDir(), 'store')
    const out = run(entry, { SCRATCHSPACE_DIR: store })
    expect(out.dir).toBe(path.join(store, 'p', 'k'))
    expect(out.scoped).toBe(path.join(`${store}-other`, 'x'))
    expect(fs.readFileSync(path.join(store, '.scratch', 'access.log'), 'utf8')).toContain('"space":"p/k"')
    const base = emptyModuleLoads(entry)
    // The public builtins loaded beyond the baseline's: only the ESM entry's one static import.
    const extra = out.loaded.filter((m) => !base.has(m) && m.startsWith('NativeModule ') && !m.startsWith('NativeModule internal/'))
    expect(extra).toEqual(entry === 'cjs' ? [] : ['NativeModule module'])
    expect(out.loaded).not.toContain('NativeModule child_process')
    expect(out.loaded).not.toContain('NativeModule worker_threads')
  })

  test('the default root under the home directory loads node:os for it', () => {
    const home = tempDir()
    const out = run(entry, { HOME: home })
    expect(out.dir).toBe(path.join(home, '.cache', 'scratchspace', 'p', 'k'))
    expect(out.loaded).toContain('NativeModule os')
  })
})

test('index.mjs imports no builtin statically but node:module (a builtin\'s module facade costs milliseconds)', () => {
  const code = fs.readFileSync(dist.mjs, 'utf8')
  expect([...code.matchAll(/\bfrom\s*"(node:[^"]+)"/g)].map((m) => m[1])).toEqual(['node:module'])
  expect(code).not.toMatch(/\bimport\s*"node:/)
})

test('index.mjs works where process.getBuiltinModule is missing (Node before 20.16): builtins come from createRequire', () => {
  const store = path.join(tempDir(), 'store')
  const out = run('mjs', { SCRATCHSPACE_DIR: store }, 'delete process.getBuiltinModule')
  expect(out.dir).toBe(path.join(store, 'p', 'k'))
  expect(out.scoped).toBe(path.join(`${store}-other`, 'x'))
  expect(fs.readFileSync(path.join(store, '.scratch', 'access.log'), 'utf8')).toContain('"space":"p/k"')
})

// The gc bundle is loaded by every CLI run and by every pnpm install that runs the hook: the
// builtins only some commands need (child_process ~2 ms, worker_threads ~2 ms, zlib ~2 ms,
// crypto ~3 ms to load) are loaded by the code that uses them, not with the bundle.
test('loading dist/gc.cjs (the CLI and the pnpm hook) loads no child_process, worker_threads, zlib or crypto', () => {
  const gc = path.join(path.dirname(dist.cjs), 'gc.cjs')
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', `require(${JSON.stringify(gc)}).pnpmHooks; console.log(JSON.stringify(process.moduleLoadList))`],
    { env: { PATH: process.env.PATH }, encoding: 'utf8' })) as string[]
  expect(loaded).toContain(`NativeModule fs`)
  for (const name of ['child_process', 'worker_threads', 'zlib', 'crypto']) expect(loaded).not.toContain(`NativeModule ${name}`)
})
