// Bundles the package into dist/: the runtime entry (CJS, with an ESM wrapper so both module
// systems share one instance), the CLI, the pnpm hook and the archive chunk, plus type declarations.
// Devdependencies (yaml, tar, ...) are bundled; the runtime entry bundles none of them.
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..')
const dist = path.join(root, 'dist')
fs.rmSync(dist, { recursive: true, force: true })

// Modules loaded lazily at run time stay separate files, so the entries that require them only
// on first use (the runtime's archive functions, the lockfile readers' YAML fallback) never parse them.
const lazyChunks = { '../archive/index': './archive.cjs', yaml: './yaml.cjs' }
const lazyChunkPlugin = {
  name: 'lazy-chunks',
  setup(b) {
    b.onResolve({ filter: /^(\.\.\/archive\/index|yaml)$/ }, (args) => ({ path: lazyChunks[args.path], external: true }))
  },
}

const entries = [
  { in: 'src/index.ts', out: 'index.cjs' },
  { in: 'src/archive/index.ts', out: 'archive.cjs' },
  { in: 'node_modules/yaml/dist/index.js', out: 'yaml.cjs', chunk: true },
  { in: 'src/cli/main.ts', out: 'cli.cjs', banner: '#!/usr/bin/env node' },
  { in: 'hooks/pnpm-hook.ts', out: 'pnpm-hook.cjs' },
  { in: 'src/gc/index.ts', out: 'gc.cjs' },
  { in: 'src/gc/trash-worker.ts', out: 'trash-worker.cjs' },
].filter((entry) => fs.existsSync(path.join(root, entry.in)))

await Promise.all(entries.map((entry) => build({
  entryPoints: [path.join(root, entry.in)],
  outfile: path.join(dist, entry.out),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifySyntax: true,
  legalComments: 'inline',
  banner: entry.banner === undefined ? undefined : { js: entry.banner },
  plugins: entry.out === 'archive.cjs' || entry.chunk === true ? [] : [lazyChunkPlugin],
  define: { SCRATCH_VERSION: JSON.stringify(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version) },
  logLevel: 'warning',
})))
if (fs.existsSync(path.join(dist, "cli.cjs"))) fs.chmodSync(path.join(dist, "cli.cjs"), 0o755)

// A default import of a Node builtin (`import fs from 'node:fs'`) compiles to
// `__toESM(require('node:fs'))`, which copies every export of the builtin onto a new object
// (a getter per property) when the bundle loads: ~1.2 ms of the runtime entry's ~2.7 ms. Where
// the bundle reads such a binding only as `.default`, `{ default: require(...) }` is the same
// thing without the copy; any other use keeps esbuild's form.
function plainBuiltinDefaults(code) {
  return code.replace(/\b(import_node_[\w$]+) = __toESM\((require\("node:[\w/]+"\))\)/g, (all, name, call) => {
    const uses = code.match(new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b(?!\\$)(\\.default\\b)?`, 'g')) ?? []
    return uses.filter((use) => !use.endsWith('.default')).length === 1 ? `${name} = { default: ${call} }` : all
  })
}
for (const entry of entries) {
  const file = path.join(dist, entry.out)
  fs.writeFileSync(file, plainBuiltinDefaults(fs.readFileSync(file, 'utf8')))
}

const names = Object.keys(createRequire(import.meta.url)(path.join(dist, 'index.cjs'))).filter((n) => n !== '__esModule')
// The ESM entry loads the CommonJS one through require, so both module systems share one instance.
// (`import runtime from './index.cjs'` would do the same through Node's CJS export detection,
// which parses the bundle with a WebAssembly lexer: ~5 ms and ~4.5 MB RSS more per import.)
fs.writeFileSync(path.join(dist, 'index.mjs'),
  `import { createRequire } from 'node:module'\nconst runtime = createRequire(import.meta.url)('./index.cjs')\n` +
  `export const { ${names.join(', ')} } = runtime\n`)

execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
fs.writeFileSync(path.join(dist, 'index.d.ts'), "export * from './types/index'\n")
fs.writeFileSync(path.join(dist, 'index.d.mts'), "export * from './types/index.js'\n")
console.log(`built ${entries.map((e) => e.out).join(', ')}, index.mjs, types`)
