/** Owners given by location: the nearest package.json with a name at or above it (SPEC §2). */
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { getScratch, scratchPath } from '../../src'
import { builtRuntime, linkSelf, repoRoot } from '../helpers/dist'
import { runNodeFile } from '../helpers/tmp'
import { errnoError, readLog, useSandbox, writePackage } from './support'

const box = useSandbox()

test('__dirname and __filename of this file resolve to this repository package', () => {
  expect(getScratch('k', __dirname)).toBe(path.join(box.store, 'pnpm-plugin-scratch', 'k'))
  expect(scratchPath('k', __filename)).toBe(path.join(box.store, 'pnpm-plugin-scratch', 'k'))
})

describe('a package in a temp dir', () => {
  let pkg: string
  beforeEach(() => {
    pkg = writePackage(path.join(box.tmp, 'my-pkg'), { name: 'my-pkg', version: '1.2.3' }, { 'lib/deep/index.js': '' })
  })

  test.each([
    ['its directory', () => pkg],
    ['a nested directory', () => path.join(pkg, 'lib', 'deep')],
    ['a file', () => path.join(pkg, 'lib', 'deep', 'index.js')],
    ['a file that does not exist', () => path.join(pkg, 'lib', 'gone.js')],
    ['a file: URL string', () => pathToFileURL(path.join(pkg, 'lib', 'deep', 'index.js')).href],
    ['a URL object', () => pathToFileURL(path.join(pkg, 'lib', 'deep', 'index.js'))],
    ['an import.meta-like object', () => ({ url: pathToFileURL(path.join(pkg, 'lib', 'deep', 'index.js')).href })],
  ])('resolves from %s, and records the version', (_label, owner) => {
    expect(getScratch('k', owner() as string)).toBe(path.join(box.store, 'my-pkg', 'k'))
    expect(readLog(box.store).records).toEqual([expect.objectContaining({ owner: 'my-pkg', ownerVersion: '1.2.3', caller: 'my-pkg' })])
  })

  test('the nearest named package.json wins', () => {
    const inner = writePackage(path.join(pkg, 'node_modules', '@scope', 'inner'), { name: '@scope/inner' })
    expect(getScratch('k', path.join(inner, 'index.js'))).toBe(path.join(box.store, '@scope', 'inner', 'k'))
    expect(readLog(box.store).records[0]).not.toHaveProperty('ownerVersion')
  })

  test('a package.json that starts with a UTF-8 BOM names its package (every package manager accepts one)', () => {
    const inner = path.join(pkg, 'node_modules', 'bom-pkg')
    fs.mkdirSync(inner, { recursive: true })
    fs.writeFileSync(path.join(inner, 'package.json'), '\uFEFF{"name": "bom-pkg", "version": "2.0.0"}\n')
    expect(getScratch('k', path.join(inner, 'index.js'))).toBe(path.join(box.store, 'bom-pkg', 'k'))
  })

  test('a name-less dist/package.json ({"type":"module"}) is skipped in favour of the parent', () => {
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'runtime', 'dual-dist'), pkg, { recursive: true })
    expect(getScratch('k', path.join(pkg, 'dist', 'index.js'))).toBe(path.join(box.store, 'dual-dist', 'k'))
  })

  test('a package.json that cannot be read (EACCES, as in Scratch.jl #29) is skipped, not fatal', () => {
    const sub = writePackage(path.join(pkg, 'sub'), { name: 'sub-pkg' })
    const blocked = path.join(sub, 'package.json')
    const readFileSync = fs.readFileSync
    jest.spyOn(fs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
      if (file === blocked) throw errnoError('EACCES', 'open')
      return (readFileSync as (...args: unknown[]) => unknown)(file, ...rest)
    }) as typeof fs.readFileSync)
    expect(getScratch('k', sub)).toBe(path.join(box.store, 'my-pkg', 'k'))
  })
})

test('import.meta of a real ES module under a name-less dist/package.json, in its own node process', async () => {
  builtRuntime()
  const project = path.join(box.tmp, 'proj')
  fs.mkdirSync(project)
  fs.writeFileSync(path.join(project, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n")
  linkSelf(project)
  const pkg = path.join(project, 'node_modules', 'dual-dist')
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'runtime', 'dual-dist'), pkg, { recursive: true })

  const result = await runNodeFile(path.join(pkg, 'dist', 'index.js'), { cwd: box.tmp, env: { SCRATCHSPACE_DIR: box.store } })
  expect(result).toMatchObject({ code: 0, stderr: '' })
  expect(JSON.parse(result.stdout)).toEqual({
    space: path.join(box.store, 'dual-dist', 'from-esm'),
    url: pathToFileURL(path.join(pkg, 'dist', 'index.js')).href,
  })
  expect(readLog(box.store).records).toEqual([expect.objectContaining({
    space: 'dual-dist/from-esm', owner: 'dual-dist', ownerVersion: '3.1.4', caller: 'dual-dist', project,
  })])
})
