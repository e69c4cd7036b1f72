/** Scratch.jl's "Scratch Space Namespacing" (cases 6–8) and clearScratchspaces, in Node terms. */
import fs from 'node:fs'
import path from 'node:path'
import { clearScratchspaces, getGlobalScratch, getScratch } from '../../src'
import { accessLogPath, BOOKKEEPING_DIR, CACHEDIR_TAG_CONTENT } from '../../src/runtime/layout'
import { builtRuntime, linkSelf, repoRoot } from '../helpers/dist'
import { listTree, runNodeFile } from '../helpers/tmp'
import { readLog, useSandbox } from './support'

const box = useSandbox()
const fixture = path.join(repoRoot, 'test', 'fixtures', 'runtime', 'scratch-usage')
beforeAll(() => { builtRuntime() })

/** Installs the ScratchUsage port at `version` into `<tmp>/proj` and runs it in a fresh node process. */
async function installAndTouch(version: string): Promise<void> {
  const project = path.join(box.tmp, 'proj')
  const pkg = path.join(project, 'node_modules', 'scratch-usage')
  if (!fs.existsSync(project)) {
    fs.mkdirSync(project)
    fs.writeFileSync(path.join(project, 'package-lock.json'), '{}')
    linkSelf(project)
  }
  fs.rmSync(pkg, { recursive: true, force: true })
  fs.cpSync(fixture, pkg, { recursive: true })
  const manifest = path.join(pkg, 'package.json')
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('99.99.99', version))
  const result = await runNodeFile(path.join(pkg, 'index.js'), { cwd: project, env: { SCRATCHSPACE_DIR: box.store } })
  expect(result).toMatchObject({ code: 0, stderr: '' })
}

const files = (...parts: string[]): string[] => fs.readdirSync(path.join(box.store, ...parts)).sort()

test('per-version, per-major and global spaces of three versions, each run in its own process', async () => {
  await installAndTouch('1.0.0')
  expect(files('scratch-usage', 'data-1.0.0')).toEqual(['scratch-usage-1.0.0'])
  expect(files('scratch-usage', 'data-1')).toEqual(['scratch-usage-1.0.0'])
  expect(files('_global', 'GlobalSpace')).toEqual(['scratch-usage-1.0.0'])

  await installAndTouch('1.1.0')
  await installAndTouch('2.0.0')
  expect(files('scratch-usage')).toEqual(['data-1', 'data-1.0.0', 'data-1.1.0', 'data-2', 'data-2.0.0'])
  for (const v of ['1.0.0', '1.1.0', '2.0.0']) expect(files('scratch-usage', `data-${v}`)).toEqual([`scratch-usage-${v}`])
  expect(files('scratch-usage', 'data-1')).toEqual(['scratch-usage-1.0.0', 'scratch-usage-1.1.0'])
  expect(files('scratch-usage', 'data-2')).toEqual(['scratch-usage-2.0.0'])
  expect(files('_global', 'GlobalSpace')).toEqual(['scratch-usage-1.0.0', 'scratch-usage-1.1.0', 'scratch-usage-2.0.0'])

  const records = readLog(box.store).records
  expect(records).toHaveLength(9)
  expect(records.filter((r) => r.owner === 'scratch-usage').map((r) => `${r.space}@${r.ownerVersion}`)).toEqual([
    'scratch-usage/data-1.0.0@1.0.0', 'scratch-usage/data-1@1.0.0',
    'scratch-usage/data-1.1.0@1.1.0', 'scratch-usage/data-1@1.1.0',
    'scratch-usage/data-2.0.0@2.0.0', 'scratch-usage/data-2@2.0.0',
  ])
  expect(new Set(records.map((r) => r.project))).toEqual(new Set([path.join(box.tmp, 'proj')]))

  // Case 8: clearing one owner removes its namespace and nothing else.
  const result = clearScratchspaces({ name: 'scratch-usage' })
  expect(result.removed).toHaveLength(5)
  expect(result.bytes).toBe(6 * '1.0.0'.length)
  expect(fs.existsSync(path.join(box.store, 'scratch-usage'))).toBe(false)
  expect(files('_global', 'GlobalSpace')).toHaveLength(3)
  expect(files().sort()).toEqual([BOOKKEEPING_DIR, 'CACHEDIR.TAG', '_global'])
})

describe('clearScratchspaces', () => {
  function populate(): void {
    for (const [owner, key] of [['a', 'k1'], ['a', 'k2'], ['@s/b', 'k'], ['c', 'k']]) {
      fs.writeFileSync(path.join(getScratch(key, { name: owner }), 'f'), 'xyz')
    }
    fs.writeFileSync(path.join(getGlobalScratch('g'), 'f'), 'xyz')
    // Things in the root the store did not create are never touched.
    fs.writeFileSync(path.join(box.store, 'README.txt'), 'mine')
    fs.mkdirSync(path.join(box.store, 'Not-A-Package', 'k'), { recursive: true })
  }

  test('with an owner removes only that namespace; a scoped owner leaves no empty @scope behind', () => {
    populate()
    expect(clearScratchspaces({ name: '@s/b' })).toEqual({ removed: [path.join(box.store, '@s', 'b', 'k')], bytes: 3 })
    expect(fs.existsSync(path.join(box.store, '@s'))).toBe(false)
    expect(clearScratchspaces({ name: 'a' })).toEqual({
      removed: [path.join(box.store, 'a', 'k1'), path.join(box.store, 'a', 'k2')], bytes: 6,
    })
    expect(listTree(box.store).filter((p) => !/^\.scratch\/./.test(p))).toEqual([
      '.scratch/', 'CACHEDIR.TAG', 'Not-A-Package/', 'Not-A-Package/k/', 'README.txt',
      '_global/', '_global/g/', '_global/g/f', 'c/', 'c/k/', 'c/k/f',
    ])
  })

  test('with null removes only the global namespace', () => {
    populate()
    expect(clearScratchspaces(null)).toEqual({ removed: [path.join(box.store, '_global', 'g')], bytes: 3 })
    expect(fs.existsSync(path.join(box.store, '_global'))).toBe(false)
    expect(files('a')).toEqual(['k1', 'k2'])
  })

  test('with no argument wipes every space, keeps the bookkeeping and recreates a missing CACHEDIR.TAG', () => {
    populate()
    const log = fs.readFileSync(accessLogPath(box.store), 'utf8')
    fs.rmSync(path.join(box.store, 'CACHEDIR.TAG'))
    const result = clearScratchspaces()
    expect(result.removed).toHaveLength(5)
    expect(result.bytes).toBe(15)
    expect(listTree(box.store).filter((p) => !/^\.scratch\/./.test(p))).toEqual([
      '.scratch/', 'CACHEDIR.TAG', 'Not-A-Package/', 'Not-A-Package/k/', 'README.txt',
    ])
    expect(fs.readFileSync(accessLogPath(box.store), 'utf8')).toBe(log)
    expect(fs.readFileSync(path.join(box.store, 'CACHEDIR.TAG'), 'utf8')).toBe(CACHEDIR_TAG_CONTENT)
  })

  test('an owner given by location clears that package; a missing store clears nothing and creates nothing', () => {
    expect(clearScratchspaces()).toEqual({ removed: [], bytes: 0 })
    expect(fs.existsSync(box.store)).toBe(false)
    const pkg = path.join(box.tmp, 'pkg')
    fs.mkdirSync(pkg)
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"located"}')
    getScratch('k', pkg)
    expect(clearScratchspaces(path.join(pkg, 'index.js')).removed).toEqual([path.join(box.store, 'located', 'k')])
  })
})
