/** Scratch.jl's "Scratch Space Basics" (cases 1–5) and its caller cases (12, 13), in Node terms. */
import fs from 'node:fs'
import path from 'node:path'
import { deleteScratch, getGlobalScratch, getScratch, scratchDir, scratchPath } from '../../src'
import { builtRuntime } from '../helpers/dist'
import { runNode } from '../helpers/tmp'
import { logSize, readLog, useSandbox, writePackage } from './support'
import { BOOKKEEPING_DIR } from '../../src/runtime/layout'

const box = useSandbox()
let cjs: string
beforeAll(() => { cjs = builtRuntime().cjs })

describe('scratch space basics', () => {
  test('the same key gives the same existing directory under scratchDir(), and its files persist', () => {
    const first = getScratch('test', { name: 'basics' })
    expect(first).toBe(path.join(box.store, 'basics', 'test'))
    expect(first.startsWith(scratchDir() + path.sep)).toBe(true)
    expect(fs.statSync(first).isDirectory()).toBe(true)
    fs.writeFileSync(path.join(first, 'foo'), 'bar')
    expect(getScratch('test', { name: 'basics' })).toBe(first)
    expect(fs.readdirSync(first)).toEqual(['foo'])
    expect(scratchPath('test', { name: 'basics' })).toBe(first)
  })

  test('a second call in the same process does not grow the log; a fresh process appends', async () => {
    getScratch('test', { name: 'basics' })
    const size = logSize(box.store)
    expect(size).toBeGreaterThan(0)
    getScratch('test', { name: 'basics' })
    expect(logSize(box.store)).toBe(size)

    const child = await runNode(`require(${JSON.stringify(cjs)}).getScratch('test', { name: 'basics' })`, {
      env: { SCRATCHSPACE_DIR: box.store },
    })
    expect(child).toMatchObject({ code: 0, stderr: '' })
    expect(logSize(box.store)).toBeGreaterThan(size)
    const { lines, records } = readLog(box.store)
    expect(lines).toHaveLength(2)
    expect(records.map((r) => [r.space, r.owner])).toEqual([['basics/test', 'basics'], ['basics/test', 'basics']])
    expect(records[0].pid).toBe(process.pid)
    expect(records[1].pid).not.toBe(process.pid)
  })

  test('deleteScratch removes the space, returns true once and false after', () => {
    const dir = getScratch('test', { name: 'basics' })
    fs.writeFileSync(path.join(dir, 'foo'), 'bar')
    expect(deleteScratch('test', { name: 'basics' })).toBe(true)
    expect(fs.existsSync(dir)).toBe(false)
    expect(deleteScratch('test', { name: 'basics' })).toBe(false)
    expect(deleteScratch('never-made', null)).toBe(false)
  })

  test('a space deleted behind its back is recreated, and the re-creation is recorded', () => {
    const dir = getScratch('test', { name: 'basics' })
    fs.rmSync(dir, { recursive: true })
    expect(getScratch('test', { name: 'basics' })).toBe(dir)
    expect(fs.statSync(dir).isDirectory()).toBe(true)
    expect(readLog(box.store).records).toHaveLength(2)
  })

  test('the key "abcABC123._-" is accepted; separators and the empty key are not', () => {
    expect(getScratch('abcABC123._-', { name: 'basics' })).toBe(path.join(box.store, 'basics', 'abcABC123._-'))
    for (const key of ['', 'hello/world', 'hello\\world']) {
      expect(() => getScratch(key, { name: 'basics' })).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_INVALID_KEY' }))
    }
  })

  test('layout: <root>/<owner>/<key>, scoped owners two levels deep, global spaces in _global', () => {
    expect(getScratch('k', { name: '@scope/pkg' })).toBe(path.join(box.store, '@scope', 'pkg', 'k'))
    expect(getGlobalScratch('k')).toBe(path.join(box.store, '_global', 'k'))
    expect(scratchPath('k', null)).toBe(path.join(box.store, '_global', 'k'))
    expect(fs.readdirSync(box.store).sort()).toEqual([BOOKKEEPING_DIR, '@scope', 'CACHEDIR.TAG', '_global'])
  })
})

describe('when records are written', () => {
  test('at most once per 24 h per (caller, space) in one process', () => {
    const t0 = Date.parse('2030-01-01T00:00:00.000Z')
    const now = jest.spyOn(Date, 'now').mockReturnValue(t0)
    getScratch('k', { name: 'p' })
    now.mockReturnValue(t0 + 24 * 3600_000 - 1)
    getScratch('k', { name: 'p' })
    now.mockReturnValue(t0 + 24 * 3600_000)
    getScratch('k', { name: 'p' })
    expect(readLog(box.store).records.map((r) => r.time)).toEqual(['2030-01-01T00:00:00.000Z', '2030-01-02T00:00:00.000Z'])
  })

  test('before the space directory is created', () => {
    const spacePath = path.join(box.store, 'p', 'k')
    const mkdirSync = fs.mkdirSync
    const logAtMkdir: number[] = []
    jest.spyOn(fs, 'mkdirSync').mockImplementation(((target: fs.PathLike, opts?: fs.MakeDirectoryOptions) => {
      if (String(target) === spacePath) logAtMkdir.push(readLog(box.store).records.length)
      return mkdirSync(target, opts)
    }) as typeof fs.mkdirSync)
    getScratch('k', { name: 'p' })
    // One attempt per missing level at most; every one of them after the record.
    expect(logAtMkdir.length).toBeGreaterThan(0)
    expect(logAtMkdir.every((count) => count === 1)).toBe(true)
  })
})

describe('callers (Scratch.jl cases 12 and 13)', () => {
  test('a space used by another package lives in the owner namespace and records the caller and its project', () => {
    const project = path.join(box.tmp, 'proj')
    writePackage(project, { name: 'app', version: '1.0.0' }, { 'package-lock.json': '{}' })
    const callerDir = writePackage(path.join(project, 'node_modules', 'user-pkg'), { name: 'user-pkg', version: '2.3.4' })
    const dir = getScratch('hello-there', { name: 'other-pkg', version: '0.1.0' }, { caller: callerDir })
    expect(dir).toBe(path.join(box.store, 'other-pkg', 'hello-there'))
    const [record] = readLog(box.store).records
    expect(record).toMatchObject({
      space: 'other-pkg/hello-there', owner: 'other-pkg', ownerVersion: '0.1.0',
      caller: 'user-pkg', callerVersion: '2.3.4', project, pid: process.pid,
    })
    expect(new Date(record.time).toISOString()).toBe(record.time)
  })

  test('each caller gets its own record; deleteScratch makes the next use record again', () => {
    const owner = { name: 'kenobi' }
    getScratch('general-kenobi', owner)
    getScratch('general-kenobi', owner, { caller: { name: 'grievous' } })
    getScratch('general-kenobi', owner, { caller: { name: 'grievous' } })
    getScratch('general-kenobi', owner)
    expect(readLog(box.store).records.map((r) => r.caller)).toEqual(['kenobi', 'grievous'])

    expect(deleteScratch('general-kenobi', owner)).toBe(true)
    // Recreated by someone else: the dedupe must not hide the next use of either caller.
    fs.mkdirSync(path.join(box.store, 'kenobi', 'general-kenobi'), { recursive: true })
    getScratch('general-kenobi', owner)
    getScratch('general-kenobi', owner, { caller: { name: 'grievous' } })
    expect(readLog(box.store).records.map((r) => r.caller)).toEqual(['kenobi', 'grievous', 'kenobi', 'grievous'])
  })

  test('a global space records its caller, or null without one', () => {
    getGlobalScratch('GlobalSpace')
    getGlobalScratch('GlobalSpace', { caller: { name: 'user-pkg' } })
    expect(readLog(box.store).records.map((r) => [r.space, r.owner, r.caller])).toEqual([
      ['_global/GlobalSpace', null, null],
      ['_global/GlobalSpace', null, 'user-pkg'],
    ])
  })
})
