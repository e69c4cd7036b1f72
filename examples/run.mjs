#!/usr/bin/env node
// Runs the examples against this checkout, offline:
//
//   npm run build                          # once: the examples import the built package
//   node examples/run.mjs                  # every example, one after the other
//   node examples/run.mjs download-cache   # one (or several) by name
//   node examples/run.mjs --link           # only make `pnpm-plugin-scratch` resolvable, run nothing
//
// Each example is a package that depends on `pnpm-plugin-scratch` ("file:../.."). Instead of an
// install, this links `<example>/node_modules/pnpm-plugin-scratch` to the repository (what
// `npm install` of a `file:` folder does too), so afterwards `node examples/<name>/index.mjs`
// works directly. The workspace example's packages are linked like `pnpm install` would.
// SCRATCHSPACE_DIR is passed through: set it to try the examples in a throw-away store.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const examplesDir = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.dirname(examplesDir)

/** name → the entry point `node` runs, relative to examples/. */
export const EXAMPLES = {
  'download-cache': 'download-cache/index.mjs',
  'regenerate-if-empty': 'regenerate-if-empty/index.mjs',
  'per-version': 'per-version/index.mjs',
  'export-import': 'export-import/index.mjs',
  workspace: 'workspace/app/index.mjs',
}

/** [directory holding node_modules, package name, link target] for every link the examples need. */
function links() {
  const self = (dir) => [dir, 'pnpm-plugin-scratch', repoRoot]
  const ws = path.join(examplesDir, 'workspace')
  return [
    self(path.join(examplesDir, 'download-cache')),
    self(path.join(examplesDir, 'regenerate-if-empty')),
    self(path.join(examplesDir, 'per-version')),
    self(path.join(examplesDir, 'export-import')),
    self(path.join(ws, 'packages', 'a')),
    self(path.join(ws, 'packages', 'b')),
    self(path.join(ws, 'app')),
    [path.join(ws, 'app'), '@example-ws/a', path.join(ws, 'packages', 'a')],
    [path.join(ws, 'app'), '@example-ws/b', path.join(ws, 'packages', 'b')],
  ]
}

/** Creates the missing links (relative, so the checkout can move); leaves anything already there alone. */
export function linkExamples() {
  for (const [dir, name, target] of links()) {
    const link = path.join(dir, 'node_modules', ...name.split('/'))
    if (fs.lstatSync(link, { throwIfNoEntry: false }) !== undefined) continue
    fs.mkdirSync(path.dirname(link), { recursive: true })
    try {
      if (process.platform === 'win32') fs.symlinkSync(target, link, 'junction')
      else fs.symlinkSync(path.relative(path.dirname(link), target), link, 'dir')
    } catch (err) {
      if (err.code !== 'EEXIST') throw err // made by a concurrent run
    }
  }
}

function main(args) {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'index.cjs'))) {
    console.error('examples/run.mjs: dist/ is missing; run `npm run build` in the repository first.')
    return 1
  }
  linkExamples()
  if (args.includes('--link')) return 0
  const unknown = args.filter((name) => !(name in EXAMPLES))
  if (unknown.length > 0) {
    console.error(`examples/run.mjs: unknown example ${unknown.join(', ')}; choose from ${Object.keys(EXAMPLES).join(', ')}`)
    return 2
  }
  for (const name of args.length > 0 ? args : Object.keys(EXAMPLES)) {
    const entry = path.join(examplesDir, EXAMPLES[name])
    if (args.length !== 1) console.log(`\n=== ${name}: node ${path.relative(process.cwd(), entry)}`)
    const result = spawnSync(process.execPath, [entry], { stdio: 'inherit', cwd: path.dirname(entry) })
    if (result.status !== 0) return result.status ?? 1
  }
  return 0
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2))
}
