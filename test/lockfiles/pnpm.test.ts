import { namesFromPnpmLockfileObject, parseLockfile } from '../../src/lockfiles'
import { parsePnpmLockfileFast, parsePnpmLockfileSlow, pnpmConfigDependencyNames } from '../../src/lockfiles/pnpm'
import { readFixture, sorted } from './fixtures'

const SINGLE = readFixture('pnpm-12.21.0/pnpm-lock.yaml')
const TWO_DOCS = readFixture('pnpm-12.21.0-configdeps/pnpm-lock.yaml')
const V13 = readFixture('pnpm-12.21.0-v13/pnpm-lock.yaml')

const MINIMAL = `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      '@types/node':
        specifier: ^20.11.0
        version: 20.11.0
      my-alias:
        specifier: npm:@scope/real@^1.0.0
        version: '@scope/real@1.0.0(react@18.3.1)'
      linked:
        specifier: link:../linked
        version: link:../linked

packages:

  '@scope/real@1.0.0':
    resolution: {integrity: sha512-x}
    peerDependencies:
      react: '*'

  '@types/node@20.11.0':
    resolution: {integrity: sha512-y}

  react@18.3.1:
    resolution: {integrity: sha512-z}

snapshots:

  '@scope/real@1.0.0(react@18.3.1)':
    dependencies:
      react: 18.3.1

  '@types/node@20.11.0': {}

  react@18.3.1: {}
`
const MINIMAL_NAMES = ['@scope/real', '@types/node', 'linked', 'my-alias', 'react']

function names(text: string): string[] {
  const read = parseLockfile('pnpm', text)
  if (!read.ok) throw new Error(read.reason)
  return sorted(read.names)
}

function reason(text: string): string {
  const read = parseLockfile('pnpm', text)
  if (read.ok) throw new Error(`read as ok: ${sorted(read.names).join(', ')}`)
  return read.reason
}

describe('pnpm-lock.yaml', () => {
  test('v9: packages, snapshots with peer suffixes, scoped names, aliases to scoped peer variants, link: deps', () => {
    expect(names(MINIMAL)).toEqual(MINIMAL_NAMES)
    expect(parsePnpmLockfileFast(MINIMAL)).not.toBeNull()
  })

  test('the two-document form: the last document is the lockfile, the config dependencies before it are installed names too', () => {
    const configDoc = TWO_DOCS.slice(0, TWO_DOCS.indexOf('\n---\n') + 1)
    expect(configDoc).toContain('configDependencies')
    expect(names(TWO_DOCS)).toEqual(names(SINGLE))
    // is-number is the config dependency (pnpm 12 wrote this document).
    expect(names(`${configDoc}---\n${MINIMAL}`)).toEqual([...MINIMAL_NAMES, 'is-number'].sort())
    const slow = parsePnpmLockfileSlow(`${configDoc}---\n${MINIMAL}`)
    expect(slow.ok && [...slow.names].sort()).toEqual([...MINIMAL_NAMES, 'is-number'].sort())
  })

  test('a file that starts with --- but holds only the config document is truncated, not a project', () => {
    const configDoc = TWO_DOCS.slice(0, TWO_DOCS.indexOf('\n---\n') + 1)
    expect(reason(configDoc)).toMatch(/truncated/)
    expect(parsePnpmLockfileSlow(configDoc)).toMatchObject({ ok: false })
    // An empty second document is no lockfile either.
    expect(reason(`${configDoc}---\n`)).toBe('the lockfile document is not a mapping')
  })

  test("v13 (tab-indented JSON-like YAML with trailing commas, `projects`) reads like v9", () => {
    expect(V13.startsWith('{\n\t"lockfileVersion": "13.0"')).toBe(true)
    expect(names(V13)).toEqual(names(SINGLE))
    // The YAML parser reads it: a JSON parse would take a duplicate key last-wins (pnpm-scan-stray.test.ts).
    expect(parsePnpmLockfileFast(V13)).toBeNull()
    expect(parsePnpmLockfileSlow(V13)).toMatchObject({ ok: true })
  })

  test("a v9-shaped document with lockfileVersion '13.0' (as pnpm's current lockfile has) is read too", () => {
    const text = MINIMAL.replace("lockfileVersion: '9.0'", "lockfileVersion: '13.0'")
    expect(parsePnpmLockfileFast(text)).toBeNull()
    expect(names(text)).toEqual(MINIMAL_NAMES)
  })

  test("lockfileVersion '6.0' (pnpm 8): /name@version keys, a single project's top-level dependencies, aliases, file: entries by their name", () => {
    const text = "lockfileVersion: '6.0'\n\ndependencies:\n  foo:\n    specifier: ^1.0.0\n    version: 1.0.0(react@18.3.1)\n  my-bar:\n    specifier: npm:bar@^2\n    version: /bar@2.0.0\n  local:\n    specifier: file:./local\n    version: file:local\n\n"
      + "packages:\n\n  /foo@1.0.0(react@18.3.1):\n    resolution: {integrity: sha512-x}\n    dependencies:\n      '@s/dep': 3.0.0\n\n  /@s/dep@3.0.0:\n    resolution: {integrity: sha512-x}\n\n"
      + "  /bar@2.0.0:\n    resolution: {integrity: sha512-x}\n\n  file:local:\n    resolution: {directory: local, type: directory}\n    name: real-local\n    version: 1.0.0\n"
    expect(names(text)).toEqual(['@s/dep', 'bar', 'foo', 'local', 'my-bar', 'real-local'])
    expect(reason(text.replace("  /@s/dep@3.0.0:\n    resolution: {integrity: sha512-x}\n\n", ''))).toContain('depends on missing /@s/dep@3.0.0')
    expect(reason("lockfileVersion: '6.0'\n\nsettings:\n  autoInstallPeers: true\n")).toContain('truncated')
    expect(reason(text.replace('    name: real-local\n', ''))).toContain('malformed package key "file:local"')
  })

  test.each([
    ['5.4', 'lockfileVersion: 5.4\n\nspecifiers:\n  foo: ^1.0.0\n\ndependencies:\n  foo: 1.0.0\n\npackages:\n\n  /foo/1.0.0:\n    resolution: {integrity: sha512-x}\n'],
    ['10.0', "lockfileVersion: '10.0'\n\nimporters:\n\n  .: {}\n"],
    ['13.1', '{\n\t"lockfileVersion": "13.1",\n\t"projects": {},\n}\n'],
  ])('lockfileVersion %s is unsupported', (version, text) => {
    expect(reason(text)).toBe(`unsupported lockfileVersion ${version}`)
  })

  test.each([
    ['empty', ''],
    ['no lockfileVersion', 'importers:\n\n  .: {}\n'],
    ['only a version', "lockfileVersion: '9.0'\n"],
    ['garbage', 'hello world\n'],
    ['binary', '\u0000\u0001\u0002\n'],
    ['a YAML list', '- a\n- b\n'],
    ['JSON that is not a lockfile', '[1, 2, 3]\n'],
    ['a duplicate package key', MINIMAL.replace("  react@18.3.1:\n    resolution: {integrity: sha512-z}\n", "  react@18.3.1:\n    resolution: {integrity: sha512-z}\n\n  react@18.3.1:\n    resolution: {integrity: sha512-z}\n")],
    ['a malformed package key', MINIMAL.replace('  react@18.3.1: {}', '  react: {}')],
    ['a package without snapshot', MINIMAL.replace("  react@18.3.1: {}\n", '')],
    ['a snapshot without package', MINIMAL.replace("  '@types/node@20.11.0': {}", "  '@types/node@20.11.0': {}\n\n  extra@1.0.0: {}")],
    ['an importer dependency without snapshot', MINIMAL.replace('version: 20.11.0', 'version: 20.12.0')],
    // Where a package has its snapshot: another key of the same length, one that goes on past it
    // without a peer suffix, and another name of the same length with a peer suffix.
    ['a snapshot in the place of a package of the same length', MINIMAL.replace('  react@18.3.1: {}', '  rebct@18.3.1: {}')],
    ['a snapshot that goes on past its package without a peer suffix', MINIMAL.replace('  react@18.3.1: {}', '  react@18.3.10: {}')],
    ['a snapshot with a peer suffix after another name of its package\'s length', MINIMAL.replace('  react@18.3.1: {}', '  rebct@18.3.1(react@18.3.1): {}')],
    ['an importer dependency without version', MINIMAL.replace('        version: 20.11.0\n', '')],
    ['a snapshot entry without body', MINIMAL.replace('  react@18.3.1: {}', '  react@18.3.1:')],
    ['tab indentation', MINIMAL.replace('  .:', '\t.:')],
  ])('%s → ok:false', (_label, text) => {
    expect(parseLockfile('pnpm', text)).toMatchObject({ ok: false, kind: 'pnpm' })
    expect(parsePnpmLockfileSlow(text)).toMatchObject({ ok: false })
  })

  test.each([
    ['CRLF line endings', 'falls back', (t: string) => t.replace(/\n/g, '\r\n')],
    ['comments', 'falls back', (t: string) => t.replace('packages:\n', '# written by hand\npackages:\n  # the packages\n')],
    ['a multi-line flow mapping', 'falls back', (t: string) => t.replace('resolution: {integrity: sha512-y}', 'resolution: {\n      integrity: sha512-y}')],
    ['an explicit key', 'falls back', (t: string) => t.replace("  '@types/node@20.11.0': {}", "  ? '@types/node@20.11.0'\n  : {}")],
    ['four-space indentation', 'falls back', (t: string) => t.replace(/^( +)/gm, (s) => s + s)],
    ['a double-quoted lockfileVersion', 'reads', (t: string) => t.replace("lockfileVersion: '9.0'", 'lockfileVersion: "9.0"')],
    ['a YAML-only escape', 'reads', (t: string) => t.replace("react: '*'", 'react: "\\x2a\\_"')],
  ])('%s: the line scanner %s, the names are the same', (_label, fast, edit) => {
    const text = edit(MINIMAL)
    expect(text).not.toBe(MINIMAL)
    expect(parsePnpmLockfileFast(text) === null).toBe(fast === 'falls back')
    expect(names(text)).toEqual(MINIMAL_NAMES)
  })

  test('block scalars and sequences of mappings inside package entries stay on the fast path', () => {
    const text = MINIMAL.replace("  react@18.3.1:\n    resolution: {integrity: sha512-z}\n", `  react@18.3.1:
    resolution:
      type: variations
      variants:
        - resolution:
            integrity: sha256-x
            type: binary
          targets:
            - cpu: x64
              os: linux
    deprecated: |-
      react: not really deprecated.

      # not a comment
    os: [linux]
`)
    expect(parsePnpmLockfileFast(text)).toMatchObject({ ok: true })
    expect(names(text)).toEqual(MINIMAL_NAMES)
  })
})

describe('namesFromPnpmLockfileObject (the afterAllResolved argument)', () => {
  test.each(['pnpm-10.34.9-hook', 'pnpm-12.21.0-hook', 'pnpm-10.34.9-hook-workspace', 'pnpm-12.21.0-hook-workspace'])(
    '%s: the object pnpm passed gives the same names as the lockfile it wrote',
    (dir) => {
      const object: unknown = JSON.parse(readFixture(`${dir}/afterAllResolved.json`))
      const fromObject = namesFromPnpmLockfileObject(object)
      const fromFile = parseLockfile('pnpm', readFixture(`${dir}/pnpm-lock.yaml`))
      expect(fromObject.ok && fromFile.ok).toBe(true)
      if (!fromObject.ok || !fromFile.ok) return
      expect(sorted(fromObject.names)).toEqual(sorted(fromFile.names))
      expect(sorted(fromObject.importerDirs)).toEqual(sorted(fromFile.importerDirs))
    })

  test('pnpm 12 leaves config dependencies out of the object; pnpmConfigDependencyNames reads them from the file', () => {
    const object: unknown = JSON.parse(readFixture('pnpm-12.21.0-configdeps-hook/afterAllResolved.json'))
    const text = readFixture('pnpm-12.21.0-configdeps-hook/pnpm-lock.yaml')
    const fromObject = namesFromPnpmLockfileObject(object)
    expect(fromObject.ok && sorted(fromObject.names)).toEqual(['is-number', 'is-odd'])
    expect(pnpmConfigDependencyNames(text)).toEqual(new Set(['is-even']))
    expect(pnpmConfigDependencyNames(readFixture('pnpm-12.21.0/pnpm-lock.yaml'))).toEqual(new Set())
    expect(pnpmConfigDependencyNames(text.slice(0, text.lastIndexOf('\n---\n') + 1))).toEqual({ error: expect.stringContaining('truncated') })
  })

  test('in-memory shapes: versions as strings (pnpm 10) or {specifier, version} (pnpm 12), packages with peer suffixes', () => {
    const read = namesFromPnpmLockfileObject({
      importers: {
        '.': { specifiers: { a: 'npm:@s/real@1' }, dependencies: { a: '@s/real@1.0.0(react@18.3.1)' }, devDependencies: {} },
        'packages/x': { dependencies: { b: { specifier: '^2', version: '2.0.0' } } },
      },
      packages: { '@s/real@1.0.0(react@18.3.1)': { resolution: {} }, 'b@2.0.0': {} },
    })
    expect(read).toMatchObject({ ok: true, importerDirs: ['.', 'packages/x'] })
    expect(read.ok && sorted(read.names)).toEqual(['@s/real', 'a', 'b'])
  })

  test('an empty project (no packages) has no names', () => {
    expect(namesFromPnpmLockfileObject({ importers: { '.': {} } })).toEqual({ ok: true, names: new Set(), importerDirs: ['.'], importerDeps: new Map([['.', []]]) })
  })

  test.each([
    ['null', null],
    ['a string', 'lockfile'],
    ['no importers', { packages: {} }],
    ['importers not a map', { importers: [] }],
    ['an importer not a map', { importers: { '.': 'x' } }],
    ['packages not a map', { importers: { '.': {} }, packages: ['a@1.0.0'] }],
    ['a package key without version', { importers: { '.': {} }, packages: { react: {} } }],
    ['a dependency without version', { importers: { '.': { dependencies: { a: { specifier: '1' } } } } }],
  ])('%s → ok:false', (_label, object) => {
    expect(namesFromPnpmLockfileObject(object)).toMatchObject({ ok: false })
  })
})
