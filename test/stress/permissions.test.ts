/**
 * Permissions: every directory the store creates is 0700 (even under umask 000), state files 0600;
 * a store that cannot be written keeps existing spaces working and refuses new ones with
 * ERR_SCRATCH_NOT_WRITABLE and a SCRATCHSPACE_DIR hint. These tests run as root, where chmod does
 * not stop writes: unwritable stores are made with jest.spyOn (EACCES, EROFS, EPERM injected) or by
 * putting the store below a regular file (ENOTDIR, a real failure), as each test name says.
 */
import fs from 'node:fs'
import path from 'node:path'
import { registerProject, runGc } from '../../src/gc'
import { npmProject, recordUse } from '../gc/support'
import { rawTar } from '../archive/helpers'
import { captureStderr, errnoError, freshRuntime, useSandbox } from '../runtime/support'
import { figure } from './support'

const box = useSandbox()

/** Every directory and file under `root` → its mode, skipping what user code put inside spaces. */
function modes(root: string, spaces: Set<string>): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (abs: string, rel: string): void => {
    const stat = fs.lstatSync(abs)
    out.set(rel === '' ? '.' : rel, `${stat.isDirectory() ? 'dir' : 'file'} ${(stat.mode & 0o777).toString(8)}`)
    if (stat.isDirectory() && !spaces.has(rel)) for (const name of fs.readdirSync(abs)) walk(path.join(abs, name), rel === '' ? name : `${rel}/${name}`)
  }
  walk(root, '')
  return out
}

describe('modes', () => {
  let umask: number
  beforeEach(() => { umask = process.umask(0o000) })
  afterEach(() => { process.umask(umask) })

  test('under umask 000, every directory the store creates is 0700 and every state file 0600 (CACHEDIR.TAG 0644)', async () => {
    const rt = freshRuntime()
    const project = npmProject(path.join(box.tmp, 'p1'), ['live-a', '@scope/pkg'])
    rt.getScratch('k', { name: 'live-a' })
    rt.getScratch('k', { name: '@scope/pkg' })
    rt.getGlobalScratch('g')
    await rt.ensureScratch('made', { name: 'live-a' }, (dir) => fs.writeFileSync(path.join(dir, 'f'), 'x'))
    const archive = path.join(box.tmp, 'a.tar')
    fs.writeFileSync(archive, rawTar([{ path: 'f', body: 'x' }], { gzip: false }))
    await rt.importScratch(archive, 'imported', { name: 'live-a' })
    registerProject(project)
    rt.getScratch('doomed', { name: 'gone' })
    recordUse(box.store, { owner: 'gone', key: 'doomed' }, project)
    await runGc() // registry, marks, compacted log, trash
    const spaces = new Set(['live-a/k', '@scope/pkg/k', '_global/g', 'live-a/made', 'live-a/imported'])
    const found = modes(box.store, spaces)
    const wrong = [...found].filter(([rel, mode]) => {
      if (rel === 'CACHEDIR.TAG') return mode !== 'file 644'
      return mode !== (mode.startsWith('dir') ? 'dir 700' : 'file 600')
    })
    figure(`permissions: ${found.size} store entries created under umask 000 (root, namespaces, scoped namespaces, spaces from getScratch, ` +
      `ensureScratch and importScratch, .scratch, trash, registry, marks, logs): ${wrong.length} with a mode other than 0700 (dirs) / 0600 (files) / 0644 (CACHEDIR.TAG)`)
    expect(wrong).toEqual([])
    expect([...found.keys()]).toEqual(expect.arrayContaining(['.', '.scratch', '.scratch/trash', '.scratch/access.compact.log', '.scratch/registry.json', '.scratch/orphans.json', '@scope', '@scope/pkg', ...spaces]))
  })
})

describe('a store that cannot be written', () => {
  function failFs(method: 'mkdirSync' | 'openSync' | 'renameSync' | 'writeFileSync', code: string): void {
    const original = fs[method] as (...args: unknown[]) => unknown
    jest.spyOn(fs, method).mockImplementation(((target: fs.PathLike, ...rest: unknown[]) => {
      if (String(target).startsWith(box.store)) throw errnoError(code, method.replace('Sync', ''))
      return original(target, ...rest)
    }) as never)
  }

  test.each(['EROFS', 'EACCES', 'EPERM'])('read-only store (%s injected with jest.spyOn on mkdir/open/rename/writeFile): existing spaces work, new ones are ERR_SCRATCH_NOT_WRITABLE', async (code) => {
    const rt = freshRuntime()
    const existing = rt.getScratch('k', { name: 'p' })
    fs.writeFileSync(path.join(existing, 'data'), 'kept')
    const global = rt.getGlobalScratch('g')
    const stderr = captureStderr()
    for (const method of ['mkdirSync', 'openSync', 'renameSync', 'writeFileSync'] as const) failFs(method, code)
    expect(rt.getScratch('k', { name: 'p' }, { caller: { name: 'other' } })).toBe(existing)
    expect(rt.getGlobalScratch('g', { caller: { name: 'other' } })).toBe(global)
    expect(await rt.ensureScratch('k', { name: 'p' }, () => { throw new Error('not called: the space has content') })).toBe(existing)
    const refusal = { code: 'ERR_SCRATCH_NOT_WRITABLE', hint: expect.stringContaining('SCRATCHSPACE_DIR'), cause: expect.objectContaining({ code }) }
    expect(() => rt.getScratch('new', { name: 'p' })).toThrow(expect.objectContaining(refusal))
    expect(() => rt.getGlobalScratch('new')).toThrow(expect.objectContaining(refusal))
    await expect(rt.ensureScratch('new', { name: 'p' }, () => undefined)).rejects.toMatchObject(refusal)
    expect(stderr).toHaveLength(1)
    jest.restoreAllMocks()
    expect(fs.readFileSync(path.join(existing, 'data'), 'utf8')).toBe('kept')
    expect(fs.readdirSync(path.join(box.store, 'p'))).toEqual(['k'])
  })

  test('a store below a regular file (ENOTDIR, no injection): every creating call is ERR_SCRATCH_NOT_WRITABLE with the hint', async () => {
    const file = path.join(box.tmp, 'a-file')
    fs.writeFileSync(file, 'not a directory')
    process.env.SCRATCHSPACE_DIR = path.join(file, 'store')
    const rt = freshRuntime()
    const stderr = captureStderr()
    const refusal = { code: 'ERR_SCRATCH_NOT_WRITABLE', hint: expect.stringContaining('SCRATCHSPACE_DIR'), cause: expect.objectContaining({ code: 'ENOTDIR' }) }
    expect(() => rt.getScratch('k', { name: 'p' })).toThrow(expect.objectContaining(refusal))
    expect(() => rt.getGlobalScratch('k')).toThrow(expect.objectContaining(refusal))
    await expect(rt.ensureScratch('k', { name: 'p' }, () => undefined)).rejects.toMatchObject(refusal)
    expect(rt.deleteScratch('k', { name: 'p' })).toBe(false)
    expect(stderr.length).toBeLessThanOrEqual(1)
    expect(fs.readFileSync(file, 'utf8')).toBe('not a directory')
  })
})
