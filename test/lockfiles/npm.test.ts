import { parseLockfile } from '../../src/lockfiles'
import { sorted } from './fixtures'

const v3 = (packages: Record<string, unknown>): string => JSON.stringify({ name: 'p', lockfileVersion: 3, requires: true, packages })

describe('package-lock.json, npm-shrinkwrap.json, node_modules/.package-lock.json', () => {
  test('v3: install paths (nested, scoped), alias entries with `name`, link entries and the folders they point at', () => {
    const read = parseLockfile('npm', v3({
      '': { name: 'p', dependencies: { alias: 'npm:@s/real@1.0.0' } },
      'node_modules/alias': { name: '@s/real', version: '1.0.0' },
      'node_modules/alias/node_modules/@s/deep': { version: '2.0.0' },
      'node_modules/linked': { resolved: '../elsewhere', link: true },
      '../elsewhere': { name: 'real-linked', version: '1.0.0' },
      'packages/a': { name: 'ws-a', version: '1.0.0' },
      'packages/a/node_modules/only-in-a': { version: '1.0.0' },
    }))
    expect(read).toMatchObject({ ok: true, kind: 'npm', importerDirs: ['.', '../elsewhere', 'packages/a'] })
    expect(read.ok && sorted(read.names)).toEqual(['@s/deep', '@s/real', 'alias', 'linked', 'only-in-a', 'p', 'real-linked', 'ws-a'])
  })

  test('v1: the nested dependencies tree, with `npm:` aliases', () => {
    const read = parseLockfile('npm', JSON.stringify({
      lockfileVersion: 1,
      dependencies: {
        a: { version: '1.0.0', dependencies: { b: { version: '2.0.0', dependencies: { '@s/c': { version: '3.0.0' } } } } },
        alias: { version: 'npm:@s/real@1.0.0' },
        local: { version: 'file:local' },
      },
    }))
    expect(read.ok && sorted(read.names)).toEqual(['@s/c', '@s/real', 'a', 'alias', 'b', 'local'])
    expect(read.ok && read.importerDirs).toEqual(['.'])
  })

  test('the hidden lockfile needs no root entry', () => {
    const read = parseLockfile('npm-hidden', v3({ 'node_modules/a': { version: '1.0.0' } }))
    expect(read).toMatchObject({ ok: true, kind: 'npm-hidden', importerDirs: ['.'] })
  })

  test.each([
    ['unsupported lockfileVersion 4', 'npm', JSON.stringify({ lockfileVersion: 4, packages: {} })],
    ['unsupported lockfileVersion undefined', 'npm', JSON.stringify({ packages: {} })],
    ['unsupported lockfileVersion 1 for a hidden lockfile', 'npm-hidden', JSON.stringify({ lockfileVersion: 1, dependencies: {} })],
    ['no packages map', 'npm', JSON.stringify({ lockfileVersion: 3 })],
    ['invalid JSON', 'npm', '{"lockfileVersion": 3, "packages": {'],
    ['invalid JSON', 'npm', 'garbage'],
    ['not a JSON object', 'npm', '[3]'],
    ['is not an object', 'npm', v3({ 'node_modules/a': 'x' })],
    ['malformed install path', 'npm', v3({ 'node_modules/': {} })],
    ['malformed name', 'npm', v3({ 'node_modules/a': { name: 42 } })],
    ['has no version', 'npm', JSON.stringify({ lockfileVersion: 1, dependencies: { a: {} } })],
    ['malformed alias', 'npm', JSON.stringify({ lockfileVersion: 1, dependencies: { a: { version: 'npm:' } } })],
    ['malformed dependency name', 'npm', JSON.stringify({ lockfileVersion: 1, dependencies: { 'a b': { version: '1.0.0' } } })],
  ] as const)('%s → ok:false', (reason, kind, text) => {
    const read = parseLockfile(kind, text)
    expect(read).toMatchObject({ ok: false, kind })
    expect(!read.ok && read.reason).toContain(reason)
  })
})
