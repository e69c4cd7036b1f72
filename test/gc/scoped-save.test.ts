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

  test('an install that changes no names, or only drops some, leaves registry.json untouched; one that adds a name rewrites it', async () => {
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
    // The names kept list more, with the stamps of the lockfile they were read from.
    expect(fileState()).toEqual(before)
    scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b', 'pkg-c'] })
    expect(fileState().ino).not.toBe(before.ino)
    const read = loadRegistry(box.store)
    expect(read.state === 'ok' && read.value.projects[p1].names).toEqual(['p1', 'pkg-b', 'pkg-c'])
  })

  test('a drop left unsaved keeps what a saved one would: the lockfile the install wrote is read next', async () => {
    const { p1, b } = projectUsingAandB(box.tmp, box.store)
    await runGc()
    scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a', 'pkg-b'] })
    // The install drops pkg-b: the sweep deletes its space; the registry keeps the names it had.
    const report = scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a'] })
    expect(report.spaces.map((s) => [s.owner, s.action])).toEqual([['pkg-b', 'deleted']])
    expect(fs.existsSync(b)).toBe(false)
    const kept = loadRegistry(box.store)
    expect(kept.state === 'ok' && kept.value.projects[p1].names).toContain('pkg-b')
    // The lockfile the install writes lists pkg-a only. A space pkg-b makes again from p1 (a stray
    // process) goes at the next gc: p1's lockfile changed, so it is read, not the names kept.
    npmProject(p1, ['pkg-a'])
    const again = makeSpace(box.store, 'pkg-b', 'again')
    recordUse(box.store, { owner: 'pkg-b', key: 'again' }, p1)
    const full = await runGc()
    expect(full.spaces.filter((s) => s.owner === 'pkg-b').map((s) => [s.key, s.action])).toEqual([['again', 'deleted']])
    expect(fs.existsSync(again)).toBe(false)
    const read = loadRegistry(box.store)
    expect(read.state === 'ok' && read.value.projects[p1].names).not.toContain('pkg-b')
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
      ['a name dropped by a hook (no stamps)', reg({ ...loaded.projects, '/p': entry({ names: ['b'], lockfiles: [] }) }), false],
      ['every name dropped by a hook', reg({ ...loaded.projects, '/p': entry({ names: [], lockfiles: [] }) }), false],
      ['a name added by a hook', reg({ ...loaded.projects, '/p': entry({ names: ['a', 'b', 'c'], lockfiles: [] }) }), true],
      ['a name replaced by a hook', reg({ ...loaded.projects, '/p': entry({ names: ['a', 'c'], lockfiles: [] }) }), true],
      ['a name dropped and one added by a hook', reg({ ...loaded.projects, '/p': entry({ names: ['c'], lockfiles: [] }) }), true],
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
