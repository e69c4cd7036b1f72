// Bundles the package into dist/ (see docs/design.md, "Package layout"):
//   index.cjs, index.mjs   the runtime entry, once per module system; both hand out one shared
//                          instance per process (the first one loaded, kept on globalThis)
//   archive.mjs            node-tar and the archive code, loaded (import()) on the first export/import;
//                          ESM, so a bundler can take it into an ESM or a CJS bundle
//   yaml.cjs               the YAML parser, loaded by the lockfile readers' fallback only
//   gc.cjs                 the gc, store, lockfile, CLI and hook code, ONE bundle
//   cli.cjs, pnpm-hook.cjs one-line stubs that load gc.cjs
// (The yarn plugin is no file of its own: `scratch init` composes it from gc.cjs and yaml.cjs.)
//   index.d.ts, index.d.mts and types/   the public type declarations (nothing internal)
// Devdependencies (yaml, tar, ...) are bundled; the runtime entry bundles none of them.
// Prints nothing on stdout (so `npm pack --json` stays valid JSON); errors go to stderr.
import { build, transform } from 'esbuild'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import options from './esbuild-options.cjs'

const { root, common, runtimeKeys, lazyChunks, sharedRuntime, runtimeLinks, internalLines } = options
const dist = path.join(root, 'dist')
fs.rmSync(dist, { recursive: true, force: true })
const lazyChunkPlugin = lazyChunks()

// The runtime instance: the first entry of this version loaded in a process keeps its exports
// (key `api`) and the array of runtime functions the gc and archive bundles link to (keyed by
// version and the array's layout) on globalThis, in one synchronous evaluation, so for one
// build the two always come from one copy (docs/design.md, "Package layout").
const links = await runtimeLinks()
const keyOf = (name) => `Symbol.for(${JSON.stringify(runtimeKeys[name])})`
const internal = internalLines(links)
const shared = (importLine) => `${importLine}\nconst key = ${keyOf('api')}\n` +
  'const runtime = globalThis[key] ?? (globalThis[key] = local)\n'

// node-tar's package entry is one pre-minified file, so a bundle of it keeps all of tar (create,
// list, replace, write-entry…) though the archive code uses only Parser, Header and Pax. Its
// modular ESM build (the `tar/raw` export) has no import-time side effects, which the package
// does not declare: declaring it here lets esbuild keep only the modules used (~97 KB → ~47 KB).
const tarDir = path.join(root, 'node_modules', 'tar', 'dist', 'esm')
const pureTar = {
  name: 'pure-tar',
  setup(b) {
    b.onResolve({ filter: /^tar$/ }, () => ({ path: path.join(tarDir, 'index.js'), sideEffects: false }))
    b.onResolve({ filter: /^\.\.?\// }, (args) => args.resolveDir === tarDir ? { path: path.join(tarDir, args.path), sideEffects: false } : undefined)
  },
}

async function bundle(out, opts) {
  await build({ ...common, outfile: path.join(dist, out), format: 'cjs', plugins: [lazyChunkPlugin], ...opts })
}

await Promise.all([
  bundle('index.cjs', {
    stdin: { contents: `export * from './src/index.ts'\n${internal}`, resolveDir: root, sourcefile: 'index-cjs.js', loader: 'js' },
  }),
  // Vendored code: minified, it is never read in a stack trace of ours.
  // The gc and archive bundles link to the runtime instance instead of carrying a copy of it.
  bundle('archive.mjs', { entryPoints: [path.join(root, 'src/archive/index.ts')], plugins: [pureTar, sharedRuntime(links, { load: 'global' })], minify: true, format: 'esm' }),
  // Only the parsing half of yaml (from its ES build, so the rest is tree-shaken away): the
  // lockfile readers parse, they never stringify.
  bundle('yaml.cjs', {
    stdin: { contents: "export { parse, parseDocument, parseAllDocuments } from './node_modules/yaml/browser/dist/index.js'\n", resolveDir: root, sourcefile: 'yaml-parse.mjs', loader: 'js' },
    plugins: [], minify: true,
  }),
  // Minified below, after the builtin-default rewrite (which needs esbuild's readable names).
  bundle('gc.cjs', { entryPoints: [path.join(root, 'hooks/gc-entry.ts')], plugins: [lazyChunkPlugin, sharedRuntime(links, { load: 'require' })] }),
])

// The CJS entry exports the shared instance: esbuild's `module.exports = __toCommonJS(...)` (its
// getters are lazy, so this runs before the definitions below it) becomes the lookup.
const cjsFile = path.join(dist, 'index.cjs')
const cjsExport = /^module\.exports = (__toCommonJS\(\w+\));$/m
const cjsCode = fs.readFileSync(cjsFile, 'utf8')
if (!cjsExport.test(cjsCode)) throw new Error('build: the runtime entry has no module.exports = __toCommonJS(...) line to share')
fs.writeFileSync(cjsFile, cjsCode.replace(cjsExport, (_, local) => `var __scratchLocal = ${local}, __scratchKey = ${keyOf('api')};\n` +
  'module.exports = globalThis[__scratchKey] ?? (globalThis[__scratchKey] = __scratchLocal);'))

const names = Object.keys(createRequire(import.meta.url)(path.join(dist, 'index.cjs'))).filter((n) => n !== '__esModule')
// An ES module has no `__dirname` and no `require`; the runtime uses both to start the
// background compaction with the gc bundle beside it (src/runtime/compaction-trigger.ts). And
// a static `import` of a Node builtin from an ES module costs far more than `require`: Node
// builds a module facade of all its exports (for node:fs that loads fs/promises too), ~2.5 ms
// of the ~5 ms the entry took to import. So the ESM entry takes its builtins from
// `process.getBuiltinModule` (Node >= 20.16), else from a `require` made by createRequire (the
// one static import left); `require` there is that same builtin loader (the runtime requires
// builtins only, some on first use) and `__dirname` comes from import.meta. Bundled into
// CommonJS by a consumer's bundler, import.meta.url is undefined: then there is no `__dirname`,
// and the runtime starts no compaction (there is no gc bundle beside a consumer's bundle
// either). See docs/design.md, "Package layout" and "The first call".
const esmScope = "import { createRequire as __scratchRequire } from 'node:module'\n" +
  'const __scratchUrl = import.meta.url\n' +
  'const __scratchBuiltin = process.getBuiltinModule ? (id) => process.getBuiltinModule(id) : __scratchRequire(__scratchUrl ?? process.execPath), __scratchGet = (m, name) => m[name]\n' +
  "const require = __scratchBuiltin, __dirname = __scratchUrl ? import.meta.dirname ?? __scratchBuiltin('node:path').dirname(__scratchBuiltin('node:url').fileURLToPath(__scratchUrl)) : undefined\n"
// Every `node:` import statement of the ESM entry becomes that loader's result (a `require()`
// stays one, of the banner's `require`); a named import, a read of
// that name (pure: esbuild drops the ones no code uses). The names are those of this Node's
// builtin, so a name it lacks fails the build ("No matching export").
const esmBuiltins = {
  name: 'esm-builtins',
  setup(b) {
    const ident = /^[A-Za-z_$][\w$]*$/
    b.onResolve({ filter: /^node:/ }, (args) => args.kind === 'import-statement' ? { path: args.path, namespace: 'scratch-builtin' } : undefined)
    b.onLoad({ filter: /.*/, namespace: 'scratch-builtin' }, (args) => {
      const names = Object.keys(createRequire(import.meta.url)(args.path)).filter((name) => ident.test(name) && name !== 'default')
      const lines = [`const m = __scratchBuiltin(${JSON.stringify(args.path)})`, 'export default m',
        ...names.map((name) => `export const ${name} = /* @__PURE__ */ __scratchGet(m, ${JSON.stringify(name)})`)]
      return { contents: `${lines.join('\n')}\n`, loader: 'js' }
    })
  },
}
await bundle('index.mjs', {
  format: 'esm',
  banner: { js: esmScope },
  plugins: [lazyChunkPlugin, esmBuiltins],
  stdin: {
    contents: `${shared("import * as local from './src/index.ts'")}export const { ${names.join(', ')} } = runtime\n${internal}`,
    resolveDir: root, sourcefile: 'index-esm.js', loader: 'js',
  },
})

fs.writeFileSync(path.join(dist, 'cli.cjs'), '#!/usr/bin/env node\n"use strict";\nrequire("./gc.cjs").runCli();\n', { mode: 0o755 })
fs.chmodSync(path.join(dist, 'cli.cjs'), 0o755)
fs.writeFileSync(path.join(dist, 'pnpm-hook.cjs'), '"use strict";\nmodule.exports = { hooks: require("./gc.cjs").pnpmHooks };\n')

// A default import of a Node builtin (`import fs from 'node:fs'`) compiles to
// `__toESM(require('node:fs'))`, which copies every export of the builtin onto a new object
// (a getter per property) when the bundle loads: ~1.2 ms of the runtime entry's ~2.7 ms. Where
// the bundle reads such a binding only as `.default`, `{ default: require(...) }` is the same
// thing without the copy; any other use keeps esbuild's form.
// Every module of the bundle has its own such binding (top-level vars, in evaluation order), so
// the later ones of a builtin reuse the first one's object: ~30 bytes per module in each bundle.
function plainBuiltinDefaults(code) {
  const first = new Map()
  return code.replace(/\b(import_node_[\w$]+) = __toESM\((require\("node:[\w/]+"\))\)/g, (all, name, call) => {
    const uses = code.match(new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b(?!\\$)(\\.default\\b)?`, 'g')) ?? []
    if (uses.filter((use) => !use.endsWith('.default')).length !== 1) return all
    if (first.has(call)) return `${name} = ${first.get(call)}`
    first.set(call, name)
    return `${name} = { default: ${call} }`
  })
}
// In the gc bundle every module has its own copy (~40 of them): without the rewrite, loading the
// pnpm hook took ~12 ms of CPU instead of ~4.
for (const out of ['index.cjs', 'gc.cjs']) {
  const file = path.join(dist, out)
  fs.writeFileSync(file, plainBuiltinDefaults(fs.readFileSync(file, 'utf8')))
}
// The gc bundle and the runtime entries are minified (names kept, for stack traces) to keep the
// package small: every library that uses the runtime installs it, and parses an entry on load.
// The runtime entries are tree-shaken again: the rewrite above leaves esbuild's `__toESM`
// helpers unused there (~150 bytes of index.cjs).
for (const [out, format] of [['gc.cjs', 'cjs'], ['index.cjs', 'cjs'], ['index.mjs', 'esm']]) {
  const file = path.join(dist, out)
  const { code } = await transform(fs.readFileSync(file, 'utf8'), { minify: true, keepNames: true, treeShaking: out !== 'gc.cjs', format, platform: 'node', target: 'node20', legalComments: 'inline' })
  fs.writeFileSync(file, code)
}

// Declarations: tsc emits one file per module the public entry reaches; keep only those the
// public index.d.ts imports (transitively), so no internal module's declarations ship.
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] })
const types = path.join(dist, 'types')
const reachable = new Set()
const visit = (file) => {
  if (reachable.has(file) || !fs.existsSync(file)) return
  reachable.add(file)
  for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*['"](\.[^'"]+)['"]/g)) {
    visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '') + '.d.ts'))
  }
}
visit(path.join(types, 'index.d.ts'))
const prune = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      prune(file)
      if (fs.readdirSync(file).length === 0) fs.rmdirSync(file)
    } else if (!reachable.has(file)) {
      fs.rmSync(file)
    }
  }
}
prune(types)
fs.writeFileSync(path.join(dist, 'index.d.ts'), "export * from './types/index'\n")
fs.writeFileSync(path.join(dist, 'index.d.mts'), "export * from './types/index.js'\n")
