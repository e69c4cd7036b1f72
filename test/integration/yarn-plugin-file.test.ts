/**
 * The yarn plugin file init composes from dist/gc.cjs and dist/yaml.cjs: deterministic, and it
 * runs on its own, in a fresh `node` process that loads it the way yarn loads a plugin
 * (`require(file)` → `{ name, factory }`, `factory(require)` → `{ hooks }`), from a directory with
 * nothing else of the package beside it.
 */
import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { composeYarnPlugin, describePluginFile } from '../../src/integration/yarn-plugin-file'
import { builtRuntime, repoRoot } from '../helpers/dist'
import { makeSpace, recordUse } from '../gc/support'
import { removeTempDirs, tempDir } from '../helpers/tmp'

beforeAll(() => builtRuntime(), 180_000)
afterEach(() => removeTempDirs())

const DIST = path.join(repoRoot, 'dist')
const sha256 = (data: string | Buffer): string => crypto.createHash('sha256').update(data).digest('hex')

// What yarn does with a plugin, reduced: require it, call the factory with a require that
// exposes only builtins (yarn's exposes builtins and its own packages), run the hook with a
// report, and say what happened as one JSON line per call.
const FAKE_YARN = `
const Module = require('node:module')
const [file, cwd, runs] = process.argv.slice(2)
const asked = []
const yarnRequire = (id) => { asked.push(id); if (Module.isBuiltin(id)) return require(id); throw new Error('not exposed: ' + id) }
const plugin = require(file)
const hooks = plugin.factory(yarnRequire).hooks
const loaded = { name: plugin.name, hooks: Object.keys(hooks), evaluated: globalThis.__gcEvaluated ?? 0 }
const calls = []
for (let i = 0; i < Number(runs); i++) {
  const lines = []
  const report = { reportInfo: (n, t) => lines.push(['info', n, t]), reportWarning: (n, t) => lines.push(['warning', n, t]) }
  let threw = null
  try { hooks.afterAllInstalled(cwd === '-' ? undefined : { cwd }, { report }) } catch (err) { threw = String(err) }
  calls.push({ lines, threw, evaluated: globalThis.__gcEvaluated ?? 0 })
}
process.stdout.write(JSON.stringify({ loaded, calls, asked }))
`

interface YarnRun {
  loaded: { name: string; hooks: string[]; evaluated: number }
  calls: { lines: [string, number, string][]; threw: string | null; evaluated: number }[]
  asked: string[]
}

/** Writes `text` as the only file of a fresh `.yarn/plugins/` and runs the fake yarn on it. */
function runPlugin(text: string, cwd: string, store: string, runs = 1): YarnRun {
  const dir = path.join(tempDir(), '.yarn', 'plugins')
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'pnpm-plugin-scratch.cjs')
  fs.writeFileSync(file, text)
  const loader = path.join(tempDir(), 'fake-yarn.cjs')
  fs.writeFileSync(loader, FAKE_YARN)
  const out = spawnSync(process.execPath, [loader, file, cwd, String(runs)], {
    cwd: tempDir(), encoding: 'utf8', env: { PATH: process.env.PATH, SCRATCHSPACE_DIR: store },
  })
  expect({ status: out.status, stderr: out.stderr }).toEqual({ status: 0, stderr: '' })
  return JSON.parse(out.stdout) as YarnRun
}

/** A stand-in package: its package.json and the bundles the plugin is made of. */
function fakePackage(gc: string, yaml = 'exports.hello = "yaml"\n'): string {
  const pkg = tempDir()
  fs.writeFileSync(path.join(pkg, 'package.json'), '{ "name": "pnpm-plugin-scratch", "version": "9.9.9" }\n')
  fs.mkdirSync(path.join(pkg, 'dist'))
  fs.writeFileSync(path.join(pkg, 'dist', 'gc.cjs'), gc)
  fs.writeFileSync(path.join(pkg, 'dist', 'yaml.cjs'), yaml)
  fs.writeFileSync(path.join(pkg, 'dist', 'index.cjs'), 'exports.runtime = true\n')
  return path.join(pkg, 'dist')
}

/** A yarn berry lockfile of workspace `app` depending on `names`. */
function berryLock(names: string[]): string {
  const entries = names.map((n) => `"${n}@npm:1.0.0":\n  version: 1.0.0\n  resolution: "${n}@npm:1.0.0"\n  languageName: node\n  linkType: hard\n\n`)
  const deps = names.length === 0 ? '' : `  dependencies:\n${names.map((n) => `    ${n}: "npm:1.0.0"\n`).join('')}`
  return `__metadata:\n  version: 8\n  cacheKey: 10c0\n\n${entries.join('')}"app@workspace:.":\n  version: 0.0.0-use.local\n` +
    `  resolution: "app@workspace:."\n${deps}  languageName: unknown\n  linkType: soft\n`
}

test('the same package composes the same bytes; the header names the version and the digest of the rest', () => {
  const first = composeYarnPlugin()
  expect(composeYarnPlugin().text).toBe(first.text)
  expect(composeYarnPlugin({ distDir: DIST }).text).toBe(first.text)
  const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version
  const [header, ...rest] = first.text.split('\n')
  expect(header).toBe(`/* pnpm-plugin-scratch ${version} yarn plugin, sha256 ${first.digest} */`)
  expect(sha256(rest.join('\n'))).toBe(first.digest)
  expect(describePluginFile(first.text)).toBe(`the yarn plugin of pnpm-plugin-scratch ${version}`)
  // Each bundle is embedded whole, with the digest of the file the package ships.
  for (const name of ['gc.cjs', 'index.cjs', 'yaml.cjs']) {
    const shipped = fs.readFileSync(path.join(DIST, name))
    expect(first.text).toContain(`// ./${name}: dist/${name} of pnpm-plugin-scratch ${version}, sha256 ${sha256(shipped)}\n"./${name}": ${JSON.stringify(shipped.toString('utf8'))}`)
  }
  // Nothing of the machine it was composed on.
  expect(first.text).not.toContain(repoRoot)
})

test('the real plugin, alone in .yarn/plugins: yarn sees its name and hook; the hook registers, then sweeps a dropped package with the embedded gc and yaml', () => {
  const { text } = composeYarnPlugin()
  const tmp = tempDir()
  const store = path.join(tmp, 'store')
  const project = path.join(tmp, 'app')
  fs.mkdirSync(project)
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'app', dependencies: { 'pkg-a': '1.0.0', 'pkg-b': '1.0.0' } }))
  fs.writeFileSync(path.join(project, 'yarn.lock'), berryLock(['pkg-a', 'pkg-b']))
  const a = makeSpace(store, 'pkg-a', 'cache')
  const b = makeSpace(store, 'pkg-b', 'cache')
  recordUse(store, { owner: 'pkg-a', key: 'cache' }, project)
  recordUse(store, { owner: 'pkg-b', key: 'cache' }, project)

  const first = runPlugin(text, project, store)
  expect(first.loaded).toEqual({ name: 'pnpm-plugin-scratch', hooks: ['afterAllInstalled'], evaluated: 0 })
  expect(first.calls).toEqual([{ lines: [], threw: null, evaluated: 0 }])
  expect(first.asked).toEqual([])
  expect([fs.existsSync(a), fs.existsSync(b)]).toEqual([true, true])

  // `yarn remove pkg-a`: yarn writes the new lockfile and manifest, then runs the hook.
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'app', dependencies: { 'pkg-b': '1.0.0' } }))
  fs.writeFileSync(path.join(project, 'yarn.lock'), berryLock(['pkg-b']))
  const second = runPlugin(text, project, store)
  expect(second.calls).toEqual([{ lines: [['info', 0, expect.stringMatching(/^pnpm-plugin-scratch: removed 1 scratch space .*: pkg-a$/)]], threw: null, evaluated: 0 }])
  expect([fs.existsSync(a), fs.existsSync(b)]).toEqual([false, true])
})

test('the real plugin never throws: no project directory and a broken lockfile are one warning each', () => {
  const { text } = composeYarnPlugin()
  const store = path.join(tempDir(), 'store')
  expect(runPlugin(text, '-', store).calls).toEqual([{ lines: [['warning', 0, expect.stringMatching(/^pnpm-plugin-scratch: warning: yarn gave no project directory/)]], threw: null, evaluated: 0 }])
  const project = tempDir()
  fs.writeFileSync(path.join(project, 'package.json'), '{"name":"app"}')
  fs.writeFileSync(path.join(project, 'yarn.lock'), '__metadata: [broken\n')
  expect(runPlugin(text, project, store).calls).toEqual([{ lines: [['warning', 0, expect.stringContaining(project)]], threw: null, evaluated: 0 }])
})

test('nothing is evaluated when yarn loads the plugin; gc.cjs once, on the first hook call; yaml.cjs when gc.cjs requires it', () => {
  const gc = 'globalThis.__gcEvaluated = (globalThis.__gcEvaluated ?? 0) + 1\nconst self = this === module.exports\n' +
    'exports.yarnHooks = { afterAllInstalled(project, options) {\n' +
    '  let other; try { require("left-pad") } catch (err) { other = err.message }\n' +
    '  options.report.reportInfo(0, [require("./yaml.cjs").hello, typeof require("node:fs").readFileSync, other, typeof module.exports.yarnHooks, self].join(" | "))\n' +
    '} }\n'
  const run = runPlugin(composeYarnPlugin({ distDir: fakePackage(gc) }).text, tempDir(), path.join(tempDir(), 'store'), 2)
  expect(run.loaded.evaluated).toBe(0)
  const line = ['info', 0, 'yaml | function | pnpm-plugin-scratch: left-pad is not part of the yarn plugin | object | true']
  expect(run.calls).toEqual([{ lines: [line], threw: null, evaluated: 1 }, { lines: [line], threw: null, evaluated: 1 }])
  expect(run.asked).toEqual([])
})

test('a bundle that fails to evaluate makes the hook warn, not throw, and is tried again on the next call', () => {
  const gc = 'globalThis.__gcEvaluated = (globalThis.__gcEvaluated ?? 0) + 1\nthrow new Error("bundle broken")\n'
  const run = runPlugin(composeYarnPlugin({ distDir: fakePackage(gc) }).text, tempDir(), path.join(tempDir(), 'store'), 2)
  const warning = ['warning', 0, 'pnpm-plugin-scratch: warning: scratch spaces not swept: bundle broken']
  expect(run.calls).toEqual([{ lines: [warning], threw: null, evaluated: 1 }, { lines: [warning], threw: null, evaluated: 2 }])
})

test('a bundle is compiled as a CommonJS module of its own: strictness, `this` and the free names are its own', () => {
  // A sloppy bundle may assign an undeclared name (a strict one may not); the loader's own
  // names (`load`, `sources`, `cache`) are not in its scope.
  const gc = 'leaked = 1\nexports.yarnHooks = { afterAllInstalled(p, o) {\n' +
    '  o.report.reportInfo(0, [typeof load, typeof sources, typeof cache, globalThis.leaked].join(" "))\n} }\n'
  const run = runPlugin(composeYarnPlugin({ distDir: fakePackage(gc) }).text, tempDir(), path.join(tempDir(), 'store'))
  expect(run.calls[0].lines).toEqual([['info', 0, 'undefined undefined undefined 1']])
})
