/** A read-only store or log (Scratch.jl #29, #32): existing spaces keep working, with one warning. */
import fs from 'node:fs'
import path from 'node:path'
import { builtRuntime } from '../helpers/dist'
import { runNode } from '../helpers/tmp'
import { captureStderr, errnoError, freshRuntime, logPath, useSandbox } from './support'

const box = useSandbox()

/** Makes fs.<method> throw `code` for paths matching `where` (as root, chmod cannot stop us). */
function failFs(method: 'mkdirSync' | 'openSync' | 'renameSync', code: string, where: (p: string) => boolean = () => true): void {
  const original = fs[method] as (...args: unknown[]) => unknown
  jest.spyOn(fs, method).mockImplementation(((target: fs.PathLike, ...rest: unknown[]) => {
    if (where(String(target))) throw errnoError(code, method.replace('Sync', ''))
    return original(target, ...rest)
  }) as never)
}

test('an unwritable log (a directory in its place) warns once per process and the spaces still work', async () => {
  const { cjs } = builtRuntime()
  const rt = freshRuntime()
  const existing = [rt.getScratch('a', { name: 'p' }), rt.getScratch('b', { name: 'p' }), rt.getGlobalScratch('g')]
  fs.rmSync(logPath(box.store))
  fs.mkdirSync(logPath(box.store))
  const script = `
    const rt = require(${JSON.stringify(cjs)})
    const paths = [rt.getScratch('a', { name: 'p' }), rt.getScratch('b', { name: 'p' }), rt.getGlobalScratch('g'),
      rt.getScratch('new', { name: 'p' }), rt.getScratch('a', { name: 'p' }, { caller: { name: 'q' } })]
    console.log(JSON.stringify(paths))`
  const result = await runNode(script, { env: { SCRATCHSPACE_DIR: box.store } })
  expect(result.code).toBe(0)
  expect(JSON.parse(result.stdout)).toEqual([...existing, path.join(box.store, 'p', 'new'), existing[0]])
  expect(fs.statSync(path.join(box.store, 'p', 'new')).isDirectory()).toBe(true)
  const lines = result.stderr.split('\n').filter((line) => line !== '')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^pnpm-plugin-scratch: warning: .*EISDIR/)
})

test.each(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT'])('a log that fails with %s does not stop an existing space', (code) => {
  const rt = freshRuntime()
  const dir = rt.getScratch('k', { name: 'p' })
  const other = rt.getScratch('k2', { name: 'p' })
  const stderr = captureStderr()
  failFs('openSync', code, (p) => p === logPath(box.store))
  expect(rt.getScratch('k', { name: 'p' }, { caller: { name: 'q' } })).toBe(dir)
  expect(rt.getScratch('k2', { name: 'p' }, { caller: { name: 'q' } })).toBe(other)
  expect(stderr).toHaveLength(1)
})

test('a read-only store: existing spaces work, a missing one is ERR_SCRATCH_NOT_WRITABLE with a SCRATCHSPACE_DIR hint', async () => {
  const rt = freshRuntime()
  const dir = rt.getScratch('k', { name: 'p' })
  const stderr = captureStderr()
  failFs('mkdirSync', 'EROFS')
  failFs('openSync', 'EROFS')
  expect(rt.getScratch('k', { name: 'p' }, { caller: { name: 'q' } })).toBe(dir)
  for (const fn of [() => rt.getScratch('missing', { name: 'p' }), () => rt.getGlobalScratch('missing')]) {
    expect(fn).toThrow(expect.objectContaining({
      code: 'ERR_SCRATCH_NOT_WRITABLE', hint: expect.stringContaining('SCRATCHSPACE_DIR'), cause: expect.objectContaining({ code: 'EROFS' }),
    }))
  }
  await expect(rt.ensureScratch('missing', { name: 'p' }, () => undefined)).rejects.toMatchObject({ code: 'ERR_SCRATCH_NOT_WRITABLE' })
  expect(fs.readdirSync(path.join(box.store, 'p'))).toEqual(['k'])
  expect(stderr).toHaveLength(1)
})

test.each(['EACCES', 'EROFS', 'EPERM'])('a space that cannot be created (%s on mkdir) is ERR_SCRATCH_NOT_WRITABLE', (code) => {
  const rt = freshRuntime()
  rt.getScratch('first', { name: 'p' })
  failFs('mkdirSync', code)
  expect(() => rt.getScratch('second', { name: 'p' })).toThrow(expect.objectContaining({
    code: 'ERR_SCRATCH_NOT_WRITABLE', hint: expect.stringContaining('SCRATCHSPACE_DIR'),
  }))
  expect(fs.existsSync(path.join(box.store, 'p', 'second'))).toBe(false)
})

test('deleteScratch of a missing space in a read-only store returns false and creates nothing', () => {
  const rt = freshRuntime()
  expect(rt.deleteScratch('k', { name: 'p' })).toBe(false)
  expect(fs.existsSync(box.store)).toBe(false)
  rt.getScratch('k', { name: 'p' })
  failFs('mkdirSync', 'EROFS')
  failFs('renameSync', 'EROFS')
  expect(rt.deleteScratch('missing', { name: 'p' })).toBe(false)
  expect(rt.deleteScratch('missing', null)).toBe(false)
  // An existing space that cannot be moved away is an error, never a silent false.
  expect(() => rt.deleteScratch('k', { name: 'p' })).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_NOT_WRITABLE', message: expect.stringContaining('EROFS') }))
  expect(fs.existsSync(path.join(box.store, 'p', 'k'))).toBe(true)
})
