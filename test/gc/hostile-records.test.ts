import fs from 'node:fs'
import path from 'node:path'
import { runGc, scopedSweep } from '../../src/gc'
import { appendRecord, decodeLine, encodeRecord } from '../../src/runtime/access-log'
import { sealedJson } from '../../src/store/atomic'
import { useSandbox } from '../runtime/support'
import { makeSpace, npmProject, recordUse } from './support'
import { accessLogPath, bookkeepingDir } from '../../src/runtime/layout'

/** A directory outside the store that must survive everything. */
function victim(dir: string): string {
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'sub', 'precious'), 'keep me')
  return dir
}

/** A correctly checksummed access record naming `space`, used by pkg-a from `project`. */
function hostileRecord(store: string, space: string, project: string, owner: string | null = 'pkg-a'): void {
  appendRecord(store, { t: 'access', space, owner, caller: 'pkg-a', project, time: new Date().toISOString(), pid: 1 })
}

describe('paths taken from records are validated as <root>/<owner>/<key>', () => {
  const box = useSandbox()

  test('records naming ../victim/sub or an absolute path: the sweep and the full gc delete nothing outside the store, and count them as damaged', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    const outside = victim(path.join(box.tmp, 'victim'))
    const absolute = victim(path.join(box.tmp, 'abs-victim'))
    makeSpace(box.store, 'pkg-a', 'cache')
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1)
    hostileRecord(box.store, '../victim/sub', p1, '..')
    hostileRecord(box.store, '../victim/sub', p1)
    hostileRecord(box.store, path.join(absolute, 'sub'), p1)
    hostileRecord(box.store, `${path.relative(box.store, '/')}/${absolute.slice(1)}/sub`, p1)
    hostileRecord(box.store, 'pkg-a/../../victim/sub', p1)
    // The lines really are intact: only their content is hostile.
    const lines = fs.readFileSync(accessLogPath(box.store), 'utf8').trim().split('\n')
    for (const line of lines.slice(1)) expect(line.slice(0, 8)).toBe(line.slice(0, 8).replace(/[^0-9a-f]/g, ''))
    expect(lines.slice(1).map(decodeLine)).toEqual([null, null, null, null, null])

    const sweep = scopedSweep({ projectDir: p1, names: ['p1'] })
    expect(sweep.spaces.map((s) => s.path)).toEqual([path.join(box.store, 'pkg-a', 'cache')])
    expect(fs.readFileSync(path.join(outside, 'sub', 'precious'), 'utf8')).toBe('keep me')
    expect(fs.readFileSync(path.join(absolute, 'sub', 'precious'), 'utf8')).toBe('keep me')

    hostileRecord(box.store, '../victim/sub', p1)
    const gc = await runGc({ maxAgeMs: 0 })
    expect(gc.spaces.every((s) => s.path.startsWith(box.store + path.sep))).toBe(true)
    expect(gc.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^skipped [1-9]\d* damaged line/)]))
    expect(fs.readFileSync(path.join(outside, 'sub', 'precious'), 'utf8')).toBe('keep me')
    expect(fs.readFileSync(path.join(absolute, 'sub', 'precious'), 'utf8')).toBe('keep me')
  })

  test('a valid id whose owner directory is a link out of the store is never followed by the sweep', () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    const outside = victim(path.join(box.tmp, 'victim'))
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    fs.symlinkSync(outside, path.join(box.store, 'pkg-b'))
    hostileRecord(box.store, 'pkg-b/sub', p1, 'pkg-b')
    const sweep = scopedSweep({ projectDir: p1, names: ['p1'] })
    expect(sweep.spaces).toEqual([])
    expect(fs.readFileSync(path.join(outside, 'sub', 'precious'), 'utf8')).toBe('keep me')
  })

  test('records with a relative project, an invalid caller or an id that disagrees with the owner are damaged', () => {
    const base = { t: 'access' as const, space: 'pkg-a/cache', owner: 'pkg-a', caller: 'pkg-a', project: '/work/p', time: new Date().toISOString(), pid: 1 }
    expect(decodeLine(encodeRecord(base).trimEnd())).not.toBeNull()
    expect(decodeLine(encodeRecord({ ...base, space: '_global/cache', owner: null }).trimEnd())).not.toBeNull()
    for (const bad of [
      { project: '../p' }, { project: 'p' }, { project: '/work/../etc' }, { caller: '../x' }, { owner: 'pkg-b' }, { owner: null },
      { space: 'pkg-a/.hidden' }, { space: 'pkg-a' }, { space: '/pkg-a/cache' }, { space: 'Bad/cache', owner: 'Bad' },
    ]) {
      expect(decodeLine(encodeRecord({ ...base, ...bad } as typeof base).trimEnd())).toBeNull()
    }
    expect(decodeLine(encodeRecord({ t: 'project', project: 'relative/dir', time: base.time, pid: 1 }).trimEnd())).toBeNull()
  })

  test('registry projects that are not absolute paths and orphan marks that are not <owner>/<key> are skipped and counted', async () => {
    makeSpace(box.store, 'pkg-a', 'cache')
    const registry = { version: 1, projects: { '../outside': { names: ['pkg-a'], lockfiles: [], checkedAt: new Date().toISOString(), source: 'hook' } } }
    fs.writeFileSync(path.join(bookkeepingDir(box.store), 'registry.json'), JSON.stringify(registry))
    fs.writeFileSync(path.join(bookkeepingDir(box.store), 'orphans.json'), sealedJson({ version: 1, marks: { '../victim/sub': 1, 'pkg-a/cache': 1 } }))
    const gc = await runGc({ dryRun: true })
    expect(gc.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^skipped 2 damaged entries/)]))
    expect(gc.projects.map((p) => p.dir)).toEqual([])
  })
})

describe('state files that are not what this package writes', () => {
  const box = useSandbox()

  test('a FIFO or a 200 MiB sparse file in place of registry.json is damaged without being read: the run deletes nothing and rebuilds it', async () => {
    const doomed = makeSpace(box.store, 'gone-pkg', 'cache', 10, 30 * 24 * 3_600_000)
    const registry = path.join(bookkeepingDir(box.store), 'registry.json')
    require('node:child_process').execFileSync('mkfifo', [registry])
    const first = await runGc()
    expect(first.warnings).toEqual(expect.arrayContaining([expect.stringContaining('not a regular file')]))
    expect(fs.existsSync(doomed)).toBe(true)
    fs.rmSync(registry)
    fs.writeFileSync(registry, '')
    fs.truncateSync(registry, 200 * 1024 * 1024)
    const second = await runGc()
    expect(second.warnings).toEqual(expect.arrayContaining([expect.stringContaining('more than a state file can be')]))
    expect(fs.existsSync(doomed)).toBe(true)
    expect(fs.statSync(registry).size).toBeLessThan(1024)
  })

  test('links planted in place of the access log and the state files are never followed: no record lands outside, nothing outside is read or replaced', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    const space = makeSpace(box.store, 'pkg-a', 'cache')
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1)
    await runGc()
    const outside = path.join(box.tmp, 'outside')
    fs.mkdirSync(outside)
    const planted: string[] = []
    for (const name of ['access.log', 'orphans.json', 'registry.json']) {
      const file = path.join(bookkeepingDir(box.store), name)
      const target = path.join(outside, name)
      // The link's target is what the store's file held: a follower would read (or extend) it as if it were the store's.
      if (fs.existsSync(file)) fs.renameSync(file, target)
      else fs.writeFileSync(target, '')
      fs.symlinkSync(target, file)
      planted.push(target)
    }
    const before = planted.map((target) => fs.readFileSync(target, 'utf8'))
    // The runtime cannot record through the link: the space still works, with a warning.
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
    try {
      appendRecord(box.store, { t: 'access', space: 'pkg-a/cache', owner: 'pkg-a', caller: 'pkg-a', project: p1, time: new Date().toISOString(), pid: 1 })
    } catch (err) {
      expect(err).toMatchObject({ code: 'ELOOP' })
    } finally {
      warn.mockRestore()
    }
    const gc = await runGc()
    expect(gc.warnings).toEqual(expect.arrayContaining([expect.stringContaining('symbolic link')]))
    expect(fs.existsSync(space)).toBe(true)
    expect(planted.map((target) => fs.readFileSync(target, 'utf8'))).toEqual(before)
    // The state files written by the run replaced their links.
    for (const name of ['orphans.json', 'registry.json']) expect(fs.lstatSync(path.join(bookkeepingDir(box.store), name)).isFile()).toBe(true)
  })
})
