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

// Modules loaded lazily at run time stay separate files, so the runtime entry never parses them.
const lazyChunks = { '../archive/index': './archive.cjs' }
const lazyChunkPlugin = {
  name: 'lazy-chunks',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/archive\/index$/ }, (args) => ({ path: lazyChunks[args.path], external: true }))
  },
}

const entries = [
  { in: 'src/index.ts', out: 'index.cjs' },
  { in: 'src/archive/index.ts', out: 'archive.cjs' },
  { in: 'src/cli/main.ts', out: 'cli.cjs', banner: '#!/usr/bin/env node' },
  { in: 'hooks/pnpm-hook.ts', out: 'pnpm-hook.cjs' },
  { in: 'src/gc/index.ts', out: 'gc.cjs' },
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
  plugins: entry.out === 'archive.cjs' ? [] : [lazyChunkPlugin],
  define: { SCRATCH_VERSION: JSON.stringify(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version) },
  logLevel: 'warning',
})))
if (fs.existsSync(path.join(dist, "cli.cjs"))) fs.chmodSync(path.join(dist, "cli.cjs"), 0o755)

const names = Object.keys(createRequire(import.meta.url)(path.join(dist, 'index.cjs'))).filter((n) => n !== '__esModule')
fs.writeFileSync(path.join(dist, 'index.mjs'),
  `import runtime from './index.cjs'\nexport const { ${names.join(', ')} } = runtime\n`)

execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
fs.writeFileSync(path.join(dist, 'index.d.ts'), "export * from './types/index'\n")
fs.writeFileSync(path.join(dist, 'index.d.mts'), "export * from './types/index.js'\n")
console.log(`built ${entries.map((e) => e.out).join(', ')}, index.mjs, types`)
