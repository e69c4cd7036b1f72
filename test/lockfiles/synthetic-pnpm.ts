/**
 * A synthetic `pnpm-lock.yaml` v9 shaped like real pnpm output: a three-project workspace, scoped
 * and unscoped names, packages with several versions, peer-dependency variants
 * (`x@1.0.0(react@18.3.1)`), npm aliases (also to scoped, peer-suffixed packages), `file:` and
 * `link:` dependencies, optional dependencies, flow collections, block sequences and multi-line
 * `deprecated` block scalars. Deterministic for a given size and seed.
 */
export function syntheticPnpmLockfile(packageCount: number, seed = 1): string {
  const random = lcg(seed)
  const pkgs: Pkg[] = [
    { name: 'react', version: '18.3.1', peer: false, deps: [] },
    { name: 'react', version: '17.0.2', peer: false, deps: [] },
  ]
  for (let i = 0; pkgs.length < packageCount - 1; i++) {
    const name = i % 5 === 0 || i % 20 === 3 ? `@scope${i % 13}/pkg-${i}` : `pkg-${i}`
    const deps = pkgs.length > 4 ? [pick(pkgs, random), pick(pkgs, random)].filter((d) => d.name !== 'react') : []
    // One version per dependency name, as in a real snapshot.
    pkgs.push({ name, version: `1.0.${i}`, peer: i % 10 === 3, deps: [...new Map(deps.map((d) => [d.name, d])).values()] })
    if (i % 7 === 0) pkgs.push({ name, version: `2.${i}.0`, peer: false, deps: [] })
  }
  pkgs.push({ name: 'local-thing', version: 'file:packages/local-thing', peer: false, deps: [], dir: 'packages/local-thing' })

  const out: string[] = ["lockfileVersion: '9.0'", '', 'settings:', '  autoInstallPeers: true', '  excludeLinksFromLockfile: false', '']
  out.push('importers:', '', ...importers(pkgs), 'packages:', '')
  for (const p of sortBy(pkgs, key)) out.push(...packageEntry(p), '')
  out.push('snapshots:', '')
  const snapshots: string[][] = []
  for (const p of pkgs) {
    if (!p.peer) snapshots.push([key(p), ...snapshotBody(p)])
    else for (const react of ['18.3.1', '17.0.2']) snapshots.push([`${key(p)}(react@${react})`, ...snapshotBody(p, react)])
  }
  snapshots.sort((a, b) => compare(a[0], b[0]))
  for (const [snapshotKey, ...body] of snapshots) {
    out.push(body.length === 0 ? `  ${quote(snapshotKey)}: {}` : `  ${quote(snapshotKey)}:`, ...body, '')
  }
  out.pop()
  return out.join('\n') + '\n'
}

interface Pkg {
  name: string
  version: string
  /** Has a peer dependency on react, so its snapshots come in two variants. */
  peer: boolean
  deps: Pkg[]
  /** For a `file:` directory package. */
  dir?: string
}

function importers(pkgs: Pkg[]): string[] {
  // One version per name in an importer, as in a real lockfile.
  const registry = [...new Map(pkgs.filter((p) => p.dir === undefined && p.name !== 'react').map((p) => [p.name, p])).values()]
  const scopedPeer = registry.find((p) => p.peer && p.name.startsWith('@'))!
  const dep = (name: string, specifier: string, version: string): string[] =>
    [`      ${quote(name)}:`, `        specifier: ${quote(specifier)}`, `        version: ${quote(version)}`]
  const ref = (p: Pkg): string => (p.peer ? `${p.version}(react@18.3.1)` : p.version)
  const lines = ['  .:', '    devDependencies:']
  for (const p of registry.slice(0, 3)) lines.push(...dep(p.name, p.version, ref(p)))
  lines.push('', '  packages/app:', '    dependencies:')
  lines.push(...dep('@alias/scoped', `npm:${scopedPeer.name}@${scopedPeer.version}`, `${scopedPeer.name}@${ref(scopedPeer)}`))
  lines.push(...dep('lib', 'workspace:*', 'link:../lib'))
  lines.push(...dep('linked-outside', 'link:../../elsewhere', 'link:../../elsewhere'))
  lines.push(...dep('local-thing', 'file:../local-thing', 'file:packages/local-thing'))
  lines.push(...dep('my-alias', `npm:${registry[1].name}@^${registry[1].version}`, `${registry[1].name}@${ref(registry[1])}`))
  lines.push(...dep('react', '^18.3.1', '18.3.1'))
  for (const p of registry.slice(5, 25)) lines.push(...dep(p.name, `^${p.version}`, ref(p)))
  lines.push('    optionalDependencies:')
  for (const p of registry.slice(25, 27)) lines.push(...dep(p.name, p.version, ref(p)))
  lines.push('    dependenciesMeta:', '      local-thing:', '        injected: true')
  lines.push('', '  packages/lib:', '    dependencies:')
  for (const p of registry.slice(27, 40)) lines.push(...dep(p.name, `~${p.version}`, ref(p)))
  lines.push('    publishDirectory: dist', '')
  return lines
}

function packageEntry(p: Pkg): string[] {
  const lines = [`  ${quote(key(p))}:`]
  if (p.dir !== undefined) return [...lines, `    resolution: {directory: ${p.dir}, type: directory}`]
  lines.push(`    resolution: {integrity: sha512-${integrity(key(p))}}`)
  lines.push(`    engines: {node: '>=${10 + (p.version.length % 9)}'}`)
  if (p.peer) lines.push('    peerDependencies:', '      react: ^17.0.0 || ^18.0.0', '    peerDependenciesMeta:', '      react:', '        optional: true')
  const n = Number(p.version.split('.')[2] ?? 0)
  if (n % 11 === 0) lines.push('    hasBin: true')
  if (n % 17 === 0) lines.push('    cpu: [x64, arm64]', '    os: [linux, darwin]')
  if (n % 23 === 0) lines.push('    deprecated: |-', `      ${p.name} is deprecated: use something else.`, '', '      See https://example.com/#why')
  return lines
}

function snapshotBody(p: Pkg, react?: string): string[] {
  const lines: string[] = []
  if (p.deps.length > 0 || react !== undefined) {
    lines.push('    dependencies:')
    const deps = p.deps.map((d) => [d.name, d.peer ? `${d.version}(react@${react ?? '18.3.1'})` : d.version])
    if (react !== undefined) deps.push(['react', react])
    for (const [name, version] of sortBy(deps, (d) => d[0])) lines.push(`      ${quote(name)}: ${version}`)
  }
  if (p.peer) lines.push('    transitivePeerDependencies:', '      - supports-color')
  return lines
}

function key(p: Pkg): string {
  return `${p.name}@${p.version}`
}

/** pnpm quotes scalars that would otherwise start with a YAML indicator, like `@scope/x`. */
function quote(text: string): string {
  return /^[@'"{[!&*>|%`?#,-]|: | #/.test(text) ? `'${text.replace(/'/g, "''")}'` : text
}

function integrity(text: string): string {
  return Buffer.from(text.padEnd(64, '=')).toString('base64').slice(0, 86) + '=='
}

function sortBy<T>(items: T[], by: (item: T) => string): T[] {
  return [...items].sort((a, b) => compare(by(a), by(b)))
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function pick<T>(items: T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]
}

function lcg(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}
