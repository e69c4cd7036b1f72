import fs from 'node:fs'
import path from 'node:path'
import { clearSpaces, runGc, scopedSweep } from '../../src/gc'
import { clearScratchspaces, getScratch } from '../../src'
import { scanSpaces } from '../../src/runtime/scan'
import { listTree } from '../helpers/tmp'
import { scratch } from '../cli/support'
import { captureStderr, useSandbox } from '../runtime/support'
import { DAY, age, makeSpace, npmProject, recordUse } from './support'

// The name that marks a store is a contract other versions of the package rely on: spelled out
// here on purpose (not taken from the layout module), so renaming it breaks this test.
const BOOKKEEPING = '.scratch'

/** A directory like `~/.cache`: other programs' `<name>/<subdir>` trees, untouched for 30 days. */
function fakeCache(dir: string): void {
  for (const [name, sub] of [['fontconfig', 'cache'], ['pip', 'http'], ['node-gyp', '20.0.0'], ['@org', 'tool']]) {
    fs.mkdirSync(path.join(dir, name, sub), { recursive: true })
    fs.writeFileSync(path.join(dir, name, sub, 'data'), 'precious')
    if (name === '@org') fs.mkdirSync(path.join(dir, name, sub, 'nested'))
    age(path.join(dir, name, sub), 30 * DAY)
    age(path.join(dir, name), 30 * DAY)
  }
  // Another program's cache tag is not ours.
  fs.writeFileSync(path.join(dir, 'CACHEDIR.TAG'), 'Signature: 8a477f597d28d172789f06886806bc55\n# created by someprog\n')
}

describe('a store is marked', () => {
  const box = useSandbox()

  test('gc, list, clear and clearScratchspaces refuse a directory of other programs\' files with ERR_SCRATCH_NOT_A_STORE, touching nothing', async () => {
    fakeCache(box.store)
    const before = listTree(box.store)
    await expect(runGc()).rejects.toMatchObject({ code: 'ERR_SCRATCH_NOT_A_STORE', message: expect.stringContaining(box.store) })
    await expect(runGc({ dryRun: true })).rejects.toMatchObject({ code: 'ERR_SCRATCH_NOT_A_STORE' })
    await expect(runGc({ maxAgeMs: 1 })).rejects.toMatchObject({ code: 'ERR_SCRATCH_NOT_A_STORE' })
    await expect(clearSpaces({ all: true })).rejects.toMatchObject({ code: 'ERR_SCRATCH_NOT_A_STORE' })
    await expect(clearSpaces({ owners: ['pip'] })).rejects.toMatchObject({ code: 'ERR_SCRATCH_NOT_A_STORE' })
    expect(() => clearScratchspaces()).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_NOT_A_STORE' }))
    expect(listTree(box.store)).toEqual(before)
  })

  test('the scoped sweep skips such a directory with one warning and registers nothing there', () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    fakeCache(box.store)
    const before = listTree(box.store)
    const report = scopedSweep({ projectDir: p1, names: ['p1'] })
    expect(report.warnings).toEqual([expect.stringMatching(/^ERR_SCRATCH_NOT_A_STORE: .*sweep skipped$/)])
    expect(report.spaces).toEqual([])
    expect(listTree(box.store)).toEqual(before)
  })

  test('the CLI: gc and list exit 1 with the code and a hint; gc --project exits 0 with one warning line', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    fakeCache(box.store)
    const before = listTree(box.store)
    for (const args of [['gc'], ['list'], ['clear', '--all', '--force']]) {
      const result = await scratch(box.store, args)
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(/^ERR_SCRATCH_NOT_A_STORE: .*\n {2}hint: SCRATCHSPACE_DIR probably points/)
    }
    const sweep = await scratch(box.store, ['gc', '--project', p1])
    expect(sweep.code).toBe(0)
    expect(sweep.stderr.trim().split('\n')).toEqual([expect.stringContaining('ERR_SCRATCH_NOT_A_STORE')])
    expect(listTree(box.store)).toEqual(before)
  })

  test('getScratch still works in such a directory but never marks it (so gc keeps refusing it), and says so once', async () => {
    fakeCache(box.store)
    const stderr = captureStderr()
    const dir = getScratch('k', { name: 'my-lib' })
    getScratch('k2', { name: 'my-lib' })
    expect(fs.statSync(dir).isDirectory()).toBe(true)
    expect(fs.existsSync(path.join(box.store, BOOKKEEPING))).toBe(false)
    expect(stderr.filter((line) => line.includes('is not a scratch store'))).toHaveLength(1)
    await expect(runGc()).rejects.toMatchObject({ code: 'ERR_SCRATCH_NOT_A_STORE' })
  })

  test('the runtime\'s first write marks the store: .scratch/format holds "1\\n", and CACHEDIR.TAG is written', () => {
    getScratch('k', { name: 'my-lib' })
    expect(fs.readFileSync(path.join(box.store, BOOKKEEPING, 'format'), 'utf8')).toBe('1\n')
    expect(fs.readFileSync(path.join(box.store, 'CACHEDIR.TAG'), 'utf8')).toMatch(/^Signature: 8a477f597d28d172789f06886806bc55\n/)
    expect(fs.readdirSync(path.join(box.store, BOOKKEEPING)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  test('SCRATCHSPACE_DIR=/ : list refuses with ERR_SCRATCH_NOT_A_STORE, and the scan itself never aborts on /proc', async () => {
    process.env.SCRATCHSPACE_DIR = '/'
    await expect(runGc({ dryRun: true })).rejects.toMatchObject({ code: 'ERR_SCRATCH_NOT_A_STORE', message: expect.stringContaining('/ is not a scratch store') })
    expect(() => scanSpaces('/')).not.toThrow()
    expect(() => scanSpaces('/proc')).not.toThrow()
  })

  test('an empty or missing root is an empty store', async () => {
    expect(await runGc()).toMatchObject({ spaces: [], projects: [] })
    fs.mkdirSync(box.store)
    expect(await runGc()).toMatchObject({ spaces: [], projects: [] })
    expect(await clearSpaces({ all: true })).toMatchObject({ spaces: [] })
  })

  test('a store written by the first revision (.scratch/ without format) is accepted and gets its format file', async () => {
    fs.mkdirSync(path.join(box.store, BOOKKEEPING), { recursive: true })
    const old = makeSpace(box.store, 'gone-pkg', 'cache', 10)
    recordUse(box.store, { owner: 'gone-pkg', key: 'cache' }, path.join(box.tmp, 'gone-project'), Date.now() - 3 * DAY)
    fs.rmSync(path.join(box.store, BOOKKEEPING, 'format'), { force: true })
    const report = await runGc()
    expect(report.spaces).toMatchObject([{ owner: 'gone-pkg', action: 'deleted' }])
    expect(fs.existsSync(old)).toBe(false)
    expect(fs.readFileSync(path.join(box.store, BOOKKEEPING, 'format'), 'utf8')).toBe('1\n')
  })

  test('a store marked only by our CACHEDIR.TAG (tracking was off) is a store', async () => {
    process.env.SCRATCHSPACE_TRACK_ACCESS = '0'
    getScratch('k', { name: 'my-lib' })
    fs.rmSync(path.join(box.store, BOOKKEEPING), { recursive: true })
    age(path.join(box.store, 'my-lib', 'k'), 8 * DAY)
    const report = await runGc()
    expect(report.spaces).toMatchObject([{ owner: 'my-lib', key: 'k', action: 'deleted' }])
  })

  test('a newer format: gc and the sweep delete nothing and say why, clear refuses with ERR_SCRATCH_NEWER_FORMAT, getScratch works', async () => {
    const doomed = makeSpace(box.store, 'gone-pkg', 'cache', 10, 30 * DAY)
    fs.writeFileSync(path.join(box.store, BOOKKEEPING, 'format'), '2\n')
    const gc = await runGc()
    expect(gc.spaces).toMatchObject([{ owner: 'gone-pkg', action: 'keep', reason: expect.stringContaining('format 2') }])
    expect(gc.warnings).toEqual(expect.arrayContaining([expect.stringContaining('format 2, newer than this version')]))
    expect(gc.dryRun).toBe(false)
    expect(fs.existsSync(doomed)).toBe(true)
    // Nothing of the newer version's state was rewritten.
    expect(fs.readdirSync(path.join(box.store, BOOKKEEPING)).sort()).toEqual(['format'])
    await expect(clearSpaces({ all: true })).rejects.toMatchObject({ code: 'ERR_SCRATCH_NEWER_FORMAT' })
    expect(fs.existsSync(doomed)).toBe(true)
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1)
    makeSpace(box.store, 'pkg-a', 'cache')
    const sweep = scopedSweep({ projectDir: p1, names: ['p1'] })
    expect(sweep.warnings).toEqual([expect.stringContaining('format 2')])
    expect(fs.existsSync(path.join(box.store, 'pkg-a', 'cache'))).toBe(true)
    expect(fs.statSync(getScratch('new', { name: 'my-lib' })).isDirectory()).toBe(true)
    expect(fs.readFileSync(path.join(box.store, BOOKKEEPING, 'format'), 'utf8')).toBe('2\n')
  })

  test('an unreadable format file holds deletion too', async () => {
    const doomed = makeSpace(box.store, 'gone-pkg', 'cache', 10, 30 * DAY)
    fs.writeFileSync(path.join(box.store, BOOKKEEPING, 'format'), 'two\n')
    const gc = await runGc()
    expect(gc.warnings).toEqual(expect.arrayContaining([expect.stringContaining('does not hold a format number')]))
    expect(fs.existsSync(doomed)).toBe(true)
  })
})
