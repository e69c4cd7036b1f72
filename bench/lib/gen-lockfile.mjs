// Synthetic pnpm v9 lockfiles in the exact shape pnpm 10.34.9 writes (see
// test/fixtures/lockfiles/pnpm-10.34.9*/pnpm-lock.yaml): quoted scoped keys, peer suffixes
// `(react@18.3.1)`, `packages:` + `snapshots:`, importers with `specifier`/`version` blocks,
// `link:` workspace deps. Projects draw their packages from one shared pool, weighted by
// popularity, so they overlap the way real projects do.
import { createRng } from './prng.mjs'

const WORDS = [
  'react', 'vue', 'babel', 'eslint', 'webpack', 'rollup', 'postcss', 'lodash', 'chalk', 'debug', 'fast',
  'json', 'node', 'micro', 'util', 'path', 'glob', 'yaml', 'semver', 'string', 'array', 'object', 'async',
  'stream', 'http', 'tar', 'mime', 'color', 'date', 'uuid', 'ws', 'zod', 'ajv', 'commander', 'minimist',
  'graceful', 'signal', 'source', 'acorn', 'terser', 'jest', 'istanbul', 'browserslist', 'caniuse', 'electron',
  'picomatch', 'braces', 'fill', 'to', 'is', 'has', 'define', 'call', 'get', 'set', 'safe', 'which', 'cross',
  'execa', 'human', 'strip', 'ansi', 'wrap', 'cli', 'supports', 'escape', 'lru', 'yallist', 'tslib', 'rxjs',
]
const SUFFIXES = [
  'plugin', 'loader', 'parser', 'utils', 'core', 'config', 'types', 'helpers', 'runtime', 'compat', 'polyfill',
  'fs', 'map', 'set', 'match', 'stringify', 'parse', 'escape', 'width', 'regex', 'spawn', 'cache', 'intrinsic',
  'property', 'bind', 'exit', 'colors', 'styles', 'number', 'range', 'glob', 'resolve', 'visitor', 'walk', 'lite',
]
const SCOPES = [
  'types', 'babel', 'eslint', 'rollup', 'vue', 'jest', 'aws-sdk', 'smithy', 'octokit', 'sentry', 'radix-ui',
  'testing-library', 'emotion', 'mui', 'tanstack', 'vitest', 'swc', 'esbuild', 'img', 'pnpm', 'nodelib', 'isaacs',
]
const ENGINES = ["{node: '>=6.9.0'}", "{node: '>=8'}", "{node: '>=10'}", "{node: '>=12'}", "{node: '>=14'}",
  "{node: '>=16'}", "{node: '>=18'}", "{node: ^12.20.0 || ^14.13.1 || >=16.0.0}", "{node: '>= 0.8'}"]
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** The name every peer-dependent package peers on, first in the pool and in every project. */
export const PEER_TARGET = 'react'

/**
 * The shared package pool: `size` names (index 0 is `react`), about 15% scoped, each with one or
 * two versions; some have a peer dependency on react. Weighted by rank (Zipf-like).
 */
export function makePool(seed, size) {
  const rng = createRng(`${seed}/pool`)
  const seen = new Set()
  const pool = []
  const version = () => `${rng.int(20)}.${rng.int(30)}.${rng.int(20)}`
  for (let i = 0; pool.length < size; i++) {
    let name
    if (i === 0) {
      name = PEER_TARGET
    } else {
      const base = `${rng.pick(WORDS)}-${rng.pick(SUFFIXES)}`
      name = rng.chance(0.15) ? `@${rng.pick(SCOPES)}/${base}` : base
      if (seen.has(name)) name = `${name}${rng.int(1000)}`
      if (seen.has(name)) continue
    }
    seen.add(name)
    pool.push({
      name,
      versions: i === 0 ? ['18.3.1', '17.0.2'] : rng.chance(0.25) ? [version(), version()] : [version()],
      peer: i > 0 && rng.chance(0.08),
      // Efraimidis–Spirakis needs 1/weight; rank-based popularity.
      invWeight: Math.pow(i + 20, 0.9),
    })
  }
  return pool
}

// Integrity strings are 86 base64 characters cut from one random blob: cheap to make, all distinct.
let blob = ''
function integrity(rng) {
  if (blob === '') {
    const blobRng = createRng('integrity-blob')
    const chars = []
    for (let i = 0; i < 1 << 16; i++) chars.push(B64[blobRng.int(64)])
    blob = chars.join('')
  }
  const at = rng.int(blob.length - 86)
  return `sha512-${blob.slice(at, at + 86)}==`
}

function quoteKey(key) {
  return key.startsWith('@') ? `'${key}'` : key
}

/** `count` distinct pool indices drawn without replacement by popularity (index 0 always in). */
function drawNames(rng, pool, count) {
  const keys = new Float64Array(pool.length)
  const order = new Uint32Array(pool.length)
  for (let i = 0; i < pool.length; i++) {
    // log(u) * invWeight: larger is better; index 0 forced first.
    keys[i] = i === 0 ? 0 : Math.log(rng.next() + 1e-12) * pool[i].invWeight
    order[i] = i
  }
  order.sort((a, b) => keys[b] - keys[a])
  return Array.from(order.subarray(0, count))
}

/**
 * One project's lockfile (and what its package.json and workspace members need).
 * `packages` = number of `packages:` entries (name@version), about 1,000 for the main benchmark.
 */
export function makeProject(seed, index, pool, { packages = 1000 } = {}) {
  const rng = createRng(`${seed}/project/${index}`)
  const picked = drawNames(rng, pool, Math.ceil(packages * 0.93))
  const entries = []
  for (const poolIndex of picked) {
    if (entries.length >= packages) break
    const item = pool[poolIndex]
    const versions = item.versions.length > 1 && rng.chance(0.2) ? item.versions : [rng.pick(item.versions)]
    for (const version of versions) if (entries.length < packages) entries.push({ item, version })
  }
  while (entries.length < packages) {
    const item = pool[picked[rng.int(picked.length)]]
    const version = `${rng.int(9)}.${rng.int(9)}.${rng.int(99) + 100}`
    entries.push({ item, version })
  }
  // One dependency no other project has (a private or local package): what the hook benchmark removes.
  const own = { item: { name: `@bench/only-p${index}`, versions: ['1.0.0'], peer: false }, version: '1.0.0' }
  entries[entries.length - 1] = own
  const react = entries.find((e) => e.item.name === PEER_TARGET)
  for (const entry of entries) {
    entry.key = `${entry.item.name}@${entry.version}`
    entry.snapshot = entry.item.peer ? `${entry.key}(${PEER_TARGET}@${react.version})` : entry.key
    entry.ref = entry.snapshot.slice(entry.item.name.length + 1)
  }
  // Unique by key (the same name@version drawn twice above).
  const byKey = new Map(entries.map((e) => [e.key, e]))
  const all = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))

  const workspace = rng.chance(0.05)
  const importers = new Map()
  const takeDeps = (n, exclude = new Map()) => {
    const deps = new Map()
    while (deps.size < n) {
      const entry = all[rng.int(all.length)]
      if (!deps.has(entry.item.name) && !exclude.has(entry.item.name)) deps.set(entry.item.name, entry)
    }
    return deps
  }
  const depLines = (deps, linkDeps = []) => {
    const rows = [...deps.values()].map((e) => ({ name: e.item.name, specifier: `^${e.version}`, version: e.ref }))
    for (const link of linkDeps) rows.push(link)
    rows.sort((a, b) => (a.name < b.name ? -1 : 1))
    return rows.map((r) => `      ${quoteKey(r.name)}:\n        specifier: ${r.specifier}\n        version: ${r.version}\n`).join('')
  }
  const members = workspace ? ['packages/app', 'packages/lib'] : []
  const rootDeps = takeDeps(25 + rng.int(10))
  rootDeps.set(own.item.name, own)
  importers.set('.', { dependencies: rootDeps, devDependencies: takeDeps(10 + rng.int(10), rootDeps) })
  for (const member of members) importers.set(member, { dependencies: takeDeps(8) })

  let text = "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n"
  const memberName = (member) => `ws-${index}-${member.slice('packages/'.length)}`
  for (const [dir, sections] of importers) {
    text += `\n  ${dir}:\n`
    const links = dir === 'packages/app' ? [{ name: memberName('packages/lib'), specifier: 'workspace:*', version: 'link:../lib' }] : []
    text += `    dependencies:\n${depLines(sections.dependencies, links)}`
    if (sections.devDependencies !== undefined) text += `    devDependencies:\n${depLines(sections.devDependencies)}`
  }
  text += '\npackages:\n'
  for (const entry of all) {
    text += `\n  ${quoteKey(entry.key)}:\n    resolution: {integrity: ${integrity(rng)}}\n`
    if (rng.chance(0.4)) text += `    engines: ${rng.pick(ENGINES)}\n`
    if (entry.item.peer) text += `    peerDependencies:\n      ${PEER_TARGET}: ^${react.version.split('.')[0]}.0.0\n`
    if (rng.chance(0.02)) text += `    os: [darwin]\n    cpu: [arm64]\n`
    if (rng.chance(0.05)) text += '    hasBin: true\n'
    if (rng.chance(0.01)) text += '    deprecated: This package is no longer supported.\n'
  }
  text += '\nsnapshots:\n'
  for (const entry of all) {
    const n = rng.chance(0.4) ? 0 : 1 + rng.int(4)
    const deps = new Map()
    for (let i = 0; i < n; i++) {
      const dep = all[rng.int(all.length)]
      if (dep !== entry) deps.set(dep.item.name, dep.ref)
    }
    if (deps.size === 0) {
      text += `\n  ${quoteKey(entry.snapshot)}: {}\n`
      continue
    }
    text += `\n  ${quoteKey(entry.snapshot)}:\n    dependencies:\n`
    for (const [name, ref] of [...deps].sort((a, b) => (a[0] < b[0] ? -1 : 1))) text += `      ${quoteKey(name)}: ${ref}\n`
    if (rng.chance(0.05)) text += '    transitivePeerDependencies:\n      - supports-color\n'
  }

  const root = importers.get('.')
  const manifest = {
    name: `bench-project-${String(index).padStart(4, '0')}`,
    version: '1.0.0',
    private: true,
    dependencies: Object.fromEntries([...root.dependencies.values()].map((e) => [e.item.name, `^${e.version}`])),
    devDependencies: Object.fromEntries([...root.devDependencies.values()].map((e) => [e.item.name, `^${e.version}`])),
  }
  return {
    lockfile: text,
    manifest,
    // Members declare what the lockfile lists for them, as package.json files pnpm installed from do.
    members: members.map((member) => ({
      dir: member,
      manifest: {
        name: memberName(member),
        version: '1.0.0',
        dependencies: Object.fromEntries([
          ...[...importers.get(member).dependencies.values()].map((e) => [e.item.name, `^${e.version}`]),
          ...(member === 'packages/app' ? [[memberName('packages/lib'), 'workspace:*']] : []),
        ]),
      },
    })),
    names: new Set([...all.map((e) => e.item.name), manifest.name, ...members.map(memberName)]),
  }
}
