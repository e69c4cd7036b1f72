'use strict'
// The one esbuild configuration of the repository: scripts/build.mjs builds dist/ with it, and
// the bench and the stress suite bundle internals with it, so all three compile the sources the
// same way (docs/design.md, "Package layout" and "Changing the code").
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version

/** Options every bundle of the package shares. */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'inline',
  define: { SCRATCH_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
}

/**
 * The keys of the runtime instance on `globalThis`: one per version, so two versions in one
 * process never mix their state, while the ESM and CJS entries (and bundled copies) of one
 * version share it. `api` holds the public exports; the array of the runtime functions the
 * other bundles link to (see {@link sharedRuntime}) is keyed by `internal` plus a digest of
 * its layout, so two different builds of one version number never read each other's array.
 */
const runtimeKeys = {
  api: `pnpm-plugin-scratch/runtime@${version}`,
  internal: `pnpm-plugin-scratch/runtime-internal@${version}`,
}

const archiveApi = path.join(root, 'src', 'archive', 'api.ts')

/**
 * Modules loaded lazily at run time stay separate files, so the entries that load them only on
 * first use (the runtime's archive functions, the lockfile readers' YAML fallback) never parse
 * them. `archive` names the chunk the archive door (`src/archive/api.ts`) imports; `yaml: false`
 * bundles the YAML parser in.
 */
function lazyChunks({ archive = './archive.mjs', yaml = true } = {}) {
  return {
    name: 'lazy-chunks',
    setup(b) {
      if (yaml) b.onResolve({ filter: /^yaml$/ }, () => ({ path: './yaml.cjs', external: true }))
      b.onResolve({ filter: /^\.\/index$/ }, (args) => args.importer === archiveApi ? { path: archive, external: true } : undefined)
    },
  }
}

/**
 * The bundles other than the runtime entry (gc.cjs, archive.mjs) link to the runtime instance
 * instead of bundling a copy of it. `links` (from {@link runtimeLinks}) maps each module of the
 * runtime entry to the names the entry provides, by their index in the instance's array; an
 * import of such a module becomes a module that reads those names from the instance and takes
 * any other export (one the entry tree-shook away) from its own copy of the file.
 * `load` is how the bundle obtains the instance: `require` loads `./index.cjs` beside it (which
 * creates the instance when no entry of this version has), `global` expects it to exist.
 */
function sharedRuntime({ links, key: internalKey }, { load }) {
  const INSTANCE = 'scratch-runtime-instance'
  return {
    name: 'shared-runtime',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.namespace !== 'file') return undefined
        const base = path.resolve(args.resolveDir, args.path)
        const file = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => links.has(f))
        return file === undefined ? undefined : { path: file, namespace: 'shared-runtime' }
      })
      b.onResolve({ filter: /^\.\/index\.cjs$/, namespace: 'shared-runtime' }, () => ({ path: './index.cjs', external: true }))
      b.onResolve({ filter: new RegExp(`^${INSTANCE}$`) }, () => ({ path: INSTANCE, namespace: 'shared-runtime' }))
      b.onLoad({ filter: /.*/, namespace: 'shared-runtime' }, (args) => {
        const key = `Symbol.for(${JSON.stringify(internalKey)})`
        if (args.path === INSTANCE) {
          const get = load === 'require' ? `(require('./index.cjs'), globalThis[${key}])` : `globalThis[${key}]`
          return {
            contents: `const rt = ${get}\nif (!Array.isArray(rt)) throw new Error('pnpm-plugin-scratch: the runtime entry of this version is not loaded')\nexport default rt\n`,
            loader: 'js', resolveDir: root,
          }
        }
        const { provided, own } = links.get(args.path)
        const lines = [`import rt from '${INSTANCE}'`]
        if (provided.length > 0) lines.push(`export const ${provided.map(([name, index]) => `${name} = rt[${index}]`).join(', ')}`)
        // Explicit exports shadow a star export of the same name, so only the rest comes from the
        // copy (an absolute path, which the relative-only resolver above lets through).
        if (own) lines.push(`export * from ${JSON.stringify(args.path)}`)
        return { contents: lines.join('\n') + '\n', loader: 'js', resolveDir: path.dirname(args.path) }
      })
    },
  }
}

/** The value exports of a TypeScript module, by name (type-only exports left out). */
function valueExports(file) {
  const ts = require('typescript')
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const names = []
  const exported = (node) => node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  for (const node of source.statements) {
    if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && exported(node) && node.name) names.push(node.name.text)
    else if (ts.isVariableStatement(node) && exported(node)) {
      for (const decl of node.declarationList.declarations) if (ts.isIdentifier(decl.name)) names.push(decl.name.text)
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.exportClause && ts.isNamedExports(node.exportClause)) {
      for (const el of node.exportClause.elements) if (!el.isTypeOnly) names.push(el.name.text)
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && !node.exportClause) {
      throw new Error(`build: ${file} has an export * the runtime links cannot list`)
    }
  }
  return names
}

/** The `.ts` files under `dir`. */
function tsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [])
}

/** The names each file imports by value from the modules in `targets` (a Set of paths), and its export-alls of them. */
function namedImports(file, targets, into) {
  const ts = require('typescript')
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const target = (spec) => {
    if (!spec.startsWith('.')) return undefined
    const base = path.resolve(path.dirname(file), spec)
    return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => targets.has(f))
  }
  const need = (t, name) => (into.get(t) ?? into.set(t, new Set()).get(t)).add(name)
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const t = target(node.moduleSpecifier.text)
      const clause = node.importClause
      if (t === undefined || clause === undefined || clause.isTypeOnly) continue
      if (clause.name) need(t, 'default')
      const bindings = clause.namedBindings
      if (bindings && ts.isNamespaceImport(bindings)) for (const name of valueExports(t)) need(t, name)
      else if (bindings) for (const el of bindings.elements) if (!el.isTypeOnly) need(t, (el.propertyName ?? el.name).text)
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const t = target(node.moduleSpecifier.text)
      if (t === undefined) continue
      if (node.exportClause && ts.isNamedExports(node.exportClause)) {
        for (const el of node.exportClause.elements) if (!el.isTypeOnly) need(t, (el.propertyName ?? el.name).text)
      } else for (const name of valueExports(t)) need(t, name)
    }
  }
}

/**
 * What the runtime entry shares with the other bundles: each export of its modules that code
 * outside the entry imports and that the entry itself keeps (found in a plain build of it; the
 * rest stays out, so sharing never makes the entry bigger). Returns `list`, the [file, name]
 * pairs in the order of the instance's array, `links`, for {@link sharedRuntime}, and `key`,
 * the array's key on globalThis.
 */
async function runtimeLinks(entry = path.join(root, 'src', 'index.ts')) {
  const { build } = require('esbuild')
  const probe = await build({ ...common, entryPoints: [entry], format: 'cjs', write: false, metafile: true, outfile: 'probe.cjs', plugins: [lazyChunks()], logLevel: 'error' })
  const code = probe.outputFiles[0].text
  const inEntry = new Set(Object.keys(probe.metafile.inputs).map((f) => path.resolve(root, f)).filter((f) => f !== entry && f.startsWith(path.join(root, 'src') + path.sep)))
  const kept = (name) => {
    const id = name.replace(/\$/g, '\\$')
    // A declaration of the name: `function f`, `class C`, or `var|let|const x =` (minifySyntax joins them: `, x =`).
    return new RegExp(`(?:function\\*?|class)\\s+${id}\\b|(?:\\b(?:var|let|const)\\s+|,\\s*)${id}\\s*=`).test(code)
  }
  const needed = new Map()
  const links = new Map()
  const list = []
  for (const file of [...tsFiles(path.join(root, 'src')), ...tsFiles(path.join(root, 'hooks'))]) {
    if (!inEntry.has(file)) namedImports(file, inEntry, needed)
  }
  // A module whose copy the other bundles keep (for exports the entry lacks) imports its own
  // dependencies through the links too: count those imports as needed.
  for (let changed = true; changed;) {
    changed = false
    for (const file of inEntry) {
      if (links.has(file)) continue
      const names = needed.get(file) ?? new Set()
      if ([...names].some((name) => !kept(name))) {
        links.set(file, null)
        namedImports(file, inEntry, needed)
        changed = true
      }
    }
  }
  for (const file of inEntry) {
    const names = [...(needed.get(file) ?? [])]
    const provided = names.filter(kept).map((name) => [name, list.push([file, name]) - 1])
    links.set(file, { provided, own: provided.length < names.length })
  }
  const digest = require('node:crypto').createHash('sha256').update(JSON.stringify(list.map(([file, name]) => [path.relative(root, file), name]))).digest('hex').slice(0, 12)
  return { list, links, key: `${runtimeKeys.internal}#${digest}` }
}

/**
 * The lines a runtime entry ends with to keep its internal array on globalThis: imports of the
 * `list` names and the assignment (the first entry of this version to load keeps its own).
 */
function internalLines({ list, key }) {
  const imports = list.map(([file, name], i) => `import { ${name} as $${i} } from ${JSON.stringify(file)}`).join('\n')
  return `${imports}\nglobalThis[Symbol.for(${JSON.stringify(key)})] ??= [${list.map((_, i) => `$${i}`).join(', ')}]\n`
}

module.exports = { root, version, common, runtimeKeys, lazyChunks, sharedRuntime, runtimeLinks, internalLines, valueExports }
