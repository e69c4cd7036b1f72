/**
 * The install-time sweep rewrites the registry only when the next run would learn something from
 * it; an install that changed no names leaves the file as it was, and what every later run
 * decides is the same as if it had been rewritten.
 */
import fs from 'node:fs'
import path from 'node:path'
import { runGc, scopedSweep } from '../../src/gc'
import { loadRegistry, registryChanged, type ProjectEntry, type Registry } from '../../src/store/registry'
import { bookkeepingDir } from '../../src/runtime/layout'
import { useSandbox } from '../runtime/support'
import { makeSpace, npmProject, projectUsingAandB, recordUse } from './support'

describe('scoped sweep: registry saves', () => {
  const box = useSandbox()
  const registryFile = (): string => path.join(bookkeepingDir(box.store), 'registry.json')
  /** The file's inode and text: a rewrite (atomic rename) changes the inode. */
  const fileState = (): { ino: number; text: string } => ({ ino: fs.statSync(registryFile()).ino, text: fs.readFileSync(registryFile(), 'utf8') })

  test('an install that changes no names leaves registry.json untouched; one that drops a name rewrites it', async () => {
    const { p1, a } = projectUsingAandB(box.tmp, box.store)
    await runGc()
    // The first hook run records its source ('hook'): a change the file must keep.
    scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a', 'pkg-b'] })
    const before = fileState()
    for (let i = 0; i < 3; i++) scopedSweep({ projectDir: p1, names: ['pkg-b', 'p1', 'pkg-a'] })
    expect(fileState()).toEqual(before)
    const report = scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b'] })
    expect(report.spaces.map((s) => [s.owner, s.action])).toEqual([['pkg-a', 'deleted']])
    expect(fs.existsSync(a)).toBe(false)
    expect(fileState().ino).not.toBe(before.ino)
    const read = loadRegistry(box.store)
    expect(read.state === 'ok' && read.value.projects[p1].names).toEqual(['p1', 'pkg-b'])
  })

  test('a dropped name is saved: a later install of the project does not judge it again, so another project that stops listing it (a branch switch, no install) keeps its space until a gc with grace', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a', 'pkg-b'])
    const p2 = npmProject(path.join(box.tmp, 'p2'), ['pkg-b'])
    makeSpace(box.store, 'pkg-a', 'cache')
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1)
    const shared = makeSpace(box.store, 'pkg-b', 'p2cache')
    recordUse(box.store, { owner: 'pkg-b', key: 'p2cache' }, p2)
    await runGc()
    scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a', 'pkg-b'] })
    // pnpm remove pkg-b in p1: p2 still lists it, so its space stays.
    expect(scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a'] }).spaces.map((s) => [s.key, s.action])).toEqual([['p2cache', 'keep']])
    npmProject(p1, ['pkg-a'])
    npmProject(p2, [])
    const later = scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a'] })
    expect(later.spaces).toEqual([])
    expect(fs.existsSync(shared)).toBe(true)
  })

  test('another project re-read or gone during the sweep is saved, so the next run need not redo it', async () => {
    const { p1 } = projectUsingAandB(box.tmp, box.store)
    const p2 = npmProject(path.join(box.tmp, 'p2'), ['pkg-c'])
    const p3 = npmProject(path.join(box.tmp, 'p3'), ['pkg-c'])
    makeSpace(box.store, 'pkg-c', 'cache')
    recordUse(box.store, { owner: 'pkg-c', key: 'cache' }, p2)
    await runGc()
    scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a', 'pkg-b'] })
    // p2 now lists pkg-d too (its lockfile changed); p3 is gone.
    npmProject(p2, ['pkg-c', 'pkg-d'])
    fs.rmSync(p3, { recursive: true })
    const before = fileState()
    scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a', 'pkg-b'] })
    expect(fileState().ino).not.toBe(before.ino)
    const read = loadRegistry(box.store)
    if (read.state !== 'ok') throw new Error(read.state)
    expect(read.value.projects[p2].names).toEqual(expect.arrayContaining(['pkg-c', 'pkg-d']))
    expect(read.value.projects[p3]).toBeUndefined()
  })

  test('a skipped save changes no later decision: the same spaces go as when every sweep saved', async () => {
    const { p1, a, b } = projectUsingAandB(box.tmp, box.store)
    await runGc()
    for (let i = 0; i < 3; i++) scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a', 'pkg-b'] })
    // The lockfile on disk now drops pkg-a; the sweep without names reads it, as `scratch gc --project` does.
    npmProject(p1, ['pkg-b'])
    const report = scopedSweep({ projectDir: p1 })
    expect(report.spaces.map((s) => [s.owner, s.action])).toEqual([['pkg-a', 'deleted']])
    expect(fs.existsSync(a)).toBe(false)
    expect(fs.existsSync(b)).toBe(true)
    const full = await runGc()
    expect(full.spaces.map((s) => [s.owner, s.action])).toEqual([['pkg-b', 'keep']])
  })

  describe('registryChanged', () => {
    const entry = (over: Partial<ProjectEntry> = {}): ProjectEntry => ({
      names: ['a', 'b'], lockfiles: [{ path: '/p/pnpm-lock.yaml', size: 10, mtimeMs: 1 }], checkedAt: '2024-01-01T00:00:00.000Z', source: 'access', ...over,
    })
    const reg = (projects: Record<string, ProjectEntry>): Registry => ({ version: 1, projects })
    const loaded = reg({ '/p': entry(), '/q': entry({ names: ['c'], lockfiles: [], source: 'hook' }) })

    test.each<[string, Registry, boolean]>([
      ['the same entries', reg({ ...loaded.projects }), false],
      ['only checkedAt newer', reg({ ...loaded.projects, '/p': entry({ checkedAt: '2025-01-01T00:00:00.000Z' }) }), false],
      ['names from a hook, to be read from disk again (no stamps)', reg({ ...loaded.projects, '/p': entry({ lockfiles: [] }) }), false],
      ['a name dropped', reg({ ...loaded.projects, '/p': entry({ names: ['a'] }) }), true],
      ['a name replaced', reg({ ...loaded.projects, '/p': entry({ names: ['a', 'c'] }) }), true],
      ['another source', reg({ ...loaded.projects, '/p': entry({ source: 'hook' }) }), true],
      ['other stamps', reg({ ...loaded.projects, '/p': entry({ lockfiles: [{ path: '/p/pnpm-lock.yaml', size: 11, mtimeMs: 1 }] }) }), true],
      ['stamps where there were none', reg({ ...loaded.projects, '/q': entry({ names: ['c'], source: 'hook' }) }), true],
      ['a project gone', reg({ '/p': loaded.projects['/p'] }), true],
      ['a project added', reg({ ...loaded.projects, '/r': entry() }), true],
      ['a project replaced by another', reg({ '/p': loaded.projects['/p'], '/r': entry() }), true],
    ])('%s → %s', (_what, next, changed) => {
      expect(registryChanged(loaded, next)).toBe(changed)
    })
  })
})
