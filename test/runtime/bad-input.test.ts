/** Bad keys, owners and versions are refused at every entry point, before anything touches the disk. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  clearScratchspaces, deleteScratch, ensureScratch, getGlobalScratch, getScratch, scratchDir, scratchPath, versionedKey,
  type Owner,
} from '../../src'
import { listTree } from '../helpers/tmp'
import { useSandbox, writePackage } from './support'

const box = useSandbox()
const valid = { name: 'valid-pkg' }
const populate = jest.fn()

/** Runs `fn` (sync or async) and expects it to fail with `code` and leave the temp dir exactly as it was. */
async function expectRefused(code: string, fn: () => unknown): Promise<void> {
  const before = listTree(box.tmp)
  await expect((async () => fn())()).rejects.toMatchObject({ name: 'ScratchError', code })
  expect(listTree(box.tmp)).toEqual(before)
  expect(fs.existsSync(box.store)).toBe(false)
}

const BAD_KEYS: [string, unknown][] = [
  ['empty', ''], ['dot', '.'], ['dot-dot', '..'], ['slash', 'a/b'], ['backslash', 'a\\b'], ['NUL', 'a\0b'],
  ['leading dash', '-x'], ['leading dot', '.hidden'], ['129 chars', 'k'.repeat(129)], ['trailing newline', 'abc\n'],
  ['space', 'a b'], ['not a string', 42],
]

describe.each(BAD_KEYS)('key %s', (_label, key) => {
  const k = key as string
  test.each<[string, () => unknown]>([
    ['getScratch', () => getScratch(k, valid)],
    ['getGlobalScratch', () => getGlobalScratch(k)],
    ['deleteScratch', () => deleteScratch(k, valid)],
    ['deleteScratch (global)', () => deleteScratch(k, null)],
    ['scratchPath', () => scratchPath(k, valid)],
    ['ensureScratch', () => ensureScratch(k, valid, populate)],
    ['versionedKey', () => versionedKey(k, '1.0.0')],
  ])('is refused by %s', async (_name, fn) => {
    await expectRefused('ERR_SCRATCH_INVALID_KEY', fn)
  })
})

test('keys and names at the limits are accepted', () => {
  expect(scratchPath('k'.repeat(128), valid)).toBe(path.join(box.store, 'valid-pkg', 'k'.repeat(128)))
  expect(scratchPath('_x', { name: 'a'.repeat(214) })).toBe(path.join(box.store, 'a'.repeat(214), '_x'))
  expect(scratchPath('k', { name: '@my-org/pkg.js_2~x' })).toBe(path.join(box.store, '@my-org', 'pkg.js_2~x', 'k'))
})

const BAD_OWNERS: [string, unknown][] = [
  ['uppercase name', { name: 'UPPER' }], ['traversal name', { name: '../x' }], ['empty name', { name: '' }],
  ['215-char name', { name: 'a'.repeat(215) }], ['no name', {}], ['numeric name', { name: 5 }],
  ['slash without scope', { name: 'a/b' }], ['reserved _global', { name: '_global' }], ['scope traversal', { name: '@s/..' }],
  ['empty path', ''], ['path with NUL', 'a\0b'], ['number', 7],
  ['non-file URL', new URL('https://example.com/pkg/index.js')], ['data: import.meta', { url: 'data:text/javascript,0' }],
  ['node: URL string', 'node:fs'], ['https: URL string', 'https://example.com/pkg/index.js'],
]

describe.each(BAD_OWNERS)('owner %s', (_label, owner) => {
  const o = owner as Owner
  test.each<[string, () => unknown]>([
    ['getScratch', () => getScratch('k', o)],
    ['getScratch caller', () => getScratch('k', valid, { caller: o })],
    ['getGlobalScratch caller', () => getGlobalScratch('k', { caller: o })],
    ['deleteScratch', () => deleteScratch('k', o)],
    ['scratchPath', () => scratchPath('k', o)],
    ['ensureScratch', () => ensureScratch('k', o, populate)],
    ['clearScratchspaces', () => clearScratchspaces(o)],
  ])('is refused by %s', async (_name, fn) => {
    await expectRefused('ERR_SCRATCH_INVALID_OWNER', fn)
  })
})

test('getScratch needs an owner: null and undefined are refused', async () => {
  await expectRefused('ERR_SCRATCH_INVALID_OWNER', () => getScratch('k', null as unknown as Owner))
  await expectRefused('ERR_SCRATCH_INVALID_OWNER', () => getScratch('k', undefined as unknown as Owner))
  await expectRefused('ERR_SCRATCH_INVALID_OWNER', () => deleteScratch('k', undefined as unknown as Owner))
})

test('a package.json whose name is invalid gives ERR_SCRATCH_INVALID_OWNER', async () => {
  const pkg = writePackage(path.join(box.tmp, 'bad'), { name: 'Not A Valid Name' }, { 'index.js': '' })
  await expectRefused('ERR_SCRATCH_INVALID_OWNER', () => getScratch('k', path.join(pkg, 'index.js')))
  await expectRefused('ERR_SCRATCH_INVALID_OWNER', () => getGlobalScratch('k', { caller: pkg }))
})

test('a location with no named package.json above it gives ERR_SCRATCH_OWNER_NOT_FOUND', async () => {
  // Precondition: nothing above the temp dir is a named package.
  for (let dir = fs.realpathSync(os.tmpdir()); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json')
    expect(fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, 'utf8')).name : undefined).toBeUndefined()
    if (path.dirname(dir) === dir) break
  }
  const dir = path.join(box.tmp, 'loose')
  fs.mkdirSync(dir)
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}')
  for (const fn of [() => getScratch('k', dir), () => getScratch('k', valid, { caller: dir }), () => scratchPath('k', path.join(dir, 'x.js'))]) {
    await expectRefused('ERR_SCRATCH_OWNER_NOT_FOUND', fn)
  }
})

describe('versionedKey', () => {
  test.each([
    ['1.4.2', undefined, 'data-1.4'], ['1.4.2', 'minor', 'data-1.4'], ['1.4.2', 'major', 'data-1'],
    ['1.4.2', 'patch', 'data-1.4.2'], ['1.4.2-beta.1+build.5', 'patch', 'data-1.4.2'], ['0.0.0-rc.1', 'minor', 'data-0.0'],
    ['10.20.30+sha.abc', 'major', 'data-10'], ['v2.0.1', 'minor', 'data-2.0'],
  ] as const)('(data, %s, %s) is %s', (version, granularity, expected) => {
    expect(versionedKey('data', version, granularity)).toBe(expected)
  })

  test.each(['x.y', '', '1.2', '1.2.3.4', '01.2.3', '1.2.3-', 'latest', '^1.2.3'])('version %j is refused', async (version) => {
    await expectRefused('ERR_SCRATCH_INVALID_VERSION', () => versionedKey('data', version))
  })

  test('an unknown granularity is refused', async () => {
    await expectRefused('ERR_SCRATCH_INVALID_VERSION', () => versionedKey('data', '1.2.3', 'build' as 'major'))
  })
})

describe('scratchDir', () => {
  test('joins parts under the root without creating anything', () => {
    expect(scratchDir()).toBe(box.store)
    expect(scratchDir('a', 'b')).toBe(path.join(box.store, 'a', 'b'))
    expect(fs.existsSync(box.store)).toBe(false)
  })

  test.each<[string, unknown[]]>([
    ['..', ['..']], ['a/../..', ['a/../..']], ['a/..', ['a', '..', '..']], ['NUL', ['a\0b']], ['a number', [1]],
  ])('refuses parts that leave the store or are not strings: %s', async (_label, parts) => {
    await expectRefused('ERR_SCRATCH_INVALID_KEY', () => scratchDir(...(parts as string[])))
  })
})
