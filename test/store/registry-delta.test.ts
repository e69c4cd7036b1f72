/**
 * The registry's delta: a save given the registry loaded this run writes only the changed
 * entries beside the file, tied to the file's id; a load applies a delta only to the file it
 * names; a stale one is ignored, a damaged one makes the registry damaged, a newer one newer.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { loadRegistry, saveRegistry, type ProjectEntry, type Registry } from '../../src/store/registry'
import { sealedJson } from '../../src/store/atomic'
import { bookkeepingDir } from '../../src/runtime/layout'
import { useSandbox } from '../runtime/support'

describe('registry delta', () => {
  const box = useSandbox()
  const file = (): string => path.join(bookkeepingDir(box.store), 'registry.json')
  const deltaFile = (): string => path.join(bookkeepingDir(box.store), 'registry.delta.json')
  const entry = (names: string[], extra: Partial<ProjectEntry> = {}): ProjectEntry => ({
    names: [...names].sort(), lockfiles: [{ path: '/x/pnpm-lock.yaml', size: names.length, mtimeMs: 1 }], checkedAt: '2024-01-01T00:00:00.000Z', source: 'access', ...extra,
  })
  // Twelve projects of 40 names each: one project's entry is well within a quarter of the file.
  const names = (project: number): string[] => Array.from({ length: 40 }, (_, i) => `pkg-${(project * 7 + i) % 90}`)
  const seed = (): Registry => {
    const projects: Record<string, ProjectEntry> = {}
    for (let p = 0; p < 12; p++) projects[`/work/p${p}`] = entry(names(p))
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    saveRegistry(box.store, { version: 1, projects })
    return { version: 1, projects }
  }
  const load = (): Registry => {
    const read = loadRegistry(box.store)
    if (read.state !== 'ok') throw new Error(`registry ${read.state}`)
    return read.value
  }
  const plain = (registry: Registry): Record<string, ProjectEntry> =>
    Object.fromEntries(Object.entries(registry.projects).map(([dir, e]) => [dir, { ...e, names: [...e.names] }]))

  test('a save given the loaded registry writes the changed, new and dropped projects only; the file stays as it was', () => {
    const seeded = seed()
    const before = fs.readFileSync(file(), 'utf8')
    const loaded = load()
    const next: Registry = { version: 1, projects: { ...loaded.projects } }
    next.projects['/work/p3'] = entry(['pkg-1', 'pkg-2'], { lockfiles: [], source: 'hook' })
    next.projects['/work/new'] = entry(['fresh'])
    delete next.projects['/work/p7']
    saveRegistry(box.store, next, loaded)
    expect(fs.readFileSync(file(), 'utf8')).toBe(before)
    const delta = JSON.parse(fs.readFileSync(deltaFile(), 'utf8'))
    expect(Object.keys(delta.projects).sort()).toEqual(['/work/new', '/work/p3', '/work/p7'])
    expect(delta.projects['/work/p7']).toBeNull()
    expect(delta.base).toBe(JSON.parse(before).id)
    const expected: Record<string, ProjectEntry> = { ...seeded.projects, '/work/p3': next.projects['/work/p3'], '/work/new': next.projects['/work/new'] }
    delete expected['/work/p7']
    expect(plain(load())).toEqual(expected)
  })

  test('deltas accumulate against the file; a change undone leaves the project as the file has it', () => {
    seed()
    const first = load()
    saveRegistry(box.store, { version: 1, projects: { ...first.projects, '/work/p1': entry(['only']) } }, first)
    const second = load()
    expect(second.projects['/work/p1'].names).toEqual(['only'])
    saveRegistry(box.store, { version: 1, projects: { ...second.projects, '/work/p2': entry(['two']) } }, second)
    expect(Object.keys(JSON.parse(fs.readFileSync(deltaFile(), 'utf8')).projects).sort()).toEqual(['/work/p1', '/work/p2'])
    const third = load()
    // p1 back to the file's names and p2 back too: the delta is written empty, not left as it was.
    saveRegistry(box.store, { version: 1, projects: { ...third.projects, '/work/p1': entry(names(1)), '/work/p2': entry(names(2)) } }, third)
    expect(JSON.parse(fs.readFileSync(deltaFile(), 'utf8')).projects).toEqual({})
    expect(load().projects['/work/p1'].names).toEqual([...names(1)].sort())
  })

  test('a delta past a quarter of the file is folded: the file is written whole with a new id and the delta goes', () => {
    seed()
    const loaded = load()
    const next: Registry = { version: 1, projects: { ...loaded.projects } }
    for (let p = 0; p < 6; p++) next.projects[`/work/p${p}`] = entry([...names(p), `extra-${p}`])
    const idBefore = JSON.parse(fs.readFileSync(file(), 'utf8')).id
    saveRegistry(box.store, next, loaded)
    expect(fs.existsSync(deltaFile())).toBe(false)
    expect(JSON.parse(fs.readFileSync(file(), 'utf8')).id).not.toBe(idBefore)
    expect(load().projects['/work/p5'].names).toContain('extra-5')
  })

  test('a save without the loaded registry (the full gc) writes the file whole and drops the delta', () => {
    seed()
    const loaded = load()
    saveRegistry(box.store, { version: 1, projects: { ...loaded.projects, '/work/p1': entry(['only']) } }, loaded)
    expect(fs.existsSync(deltaFile())).toBe(true)
    const merged = load()
    saveRegistry(box.store, merged)
    expect(fs.existsSync(deltaFile())).toBe(false)
    expect(load().projects['/work/p1'].names).toEqual(['only'])
  })

  test('a stale delta (the file rewritten since, the delta not yet removed) is ignored', () => {
    seed()
    const loaded = load()
    saveRegistry(box.store, { version: 1, projects: { ...loaded.projects, '/work/p1': entry(['only']) } }, loaded)
    const stale = fs.readFileSync(deltaFile())
    const merged = load()
    saveRegistry(box.store, { version: 1, projects: { ...merged.projects, '/work/p1': entry(['rewritten']) } })
    // As after a crash between writing the file and removing the delta.
    fs.writeFileSync(deltaFile(), stale)
    expect(load().projects['/work/p1'].names).toEqual(['rewritten'])
  })

  test('a file without an id (an older release wrote it) takes no delta: the save writes the file whole, and a delta beside it is ignored', () => {
    const projects: Record<string, ProjectEntry> = {}
    for (let p = 0; p < 12; p++) projects[`/work/p${p}`] = entry(names(p))
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    fs.writeFileSync(file(), sealedJson({ version: 1, projects }))
    fs.writeFileSync(deltaFile(), sealedJson({ version: 1, base: 'undefined', projects: { '/work/p1': entry(['forged']) } }))
    const loaded = load()
    expect(loaded.projects['/work/p1'].names).toEqual([...names(1)].sort())
    saveRegistry(box.store, { version: 1, projects: { ...loaded.projects, '/work/p1': entry(['only']) } }, loaded)
    expect(fs.existsSync(deltaFile())).toBe(false)
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toMatchObject({ version: 2, id: expect.any(String) })
    expect(load().projects['/work/p1'].names).toEqual(['only'])
  })

  test.each([
    ['not JSON', (): string => '{"version":1,'],
    ['no seal', (base: string): string => JSON.stringify({ version: 1, base, projects: {} })],
    ['a broken seal', (base: string): string => sealedJson({ version: 1, base, projects: {} }).replace('"projects"', '"projects" ')],
    ['names that are not strings', (base: string): string => sealedJson({ version: 1, base, projects: { '/work/p1': { names: [1], lockfiles: [] } } })],
    ['an entry without lockfiles', (base: string): string => sealedJson({ version: 1, base, projects: { '/work/p1': { names: [] } } })],
    ['an entry that is a string', (base: string): string => sealedJson({ version: 1, base, projects: { '/work/p1': 'x' } })],
  ])('a delta with %s for this file makes the registry damaged (its latest changes are unknown)', (_what, content) => {
    seed()
    const base = JSON.parse(fs.readFileSync(file(), 'utf8')).id
    fs.writeFileSync(deltaFile(), content(base))
    expect(loadRegistry(box.store)).toMatchObject({ state: 'damaged', reason: expect.stringContaining('registry.delta.json') })
  })

  test('a delta of another version is newer: the gc neither rebuilds nor rewrites', () => {
    seed()
    fs.writeFileSync(deltaFile(), sealedJson({ version: 2, base: 'x', projects: {} }))
    expect(loadRegistry(box.store)).toMatchObject({ state: 'newer', reason: expect.stringContaining('registry.delta.json') })
  })

  test('a FIFO or a directory planted as the delta is damage, read without blocking', () => {
    seed()
    fs.mkdirSync(deltaFile())
    expect(loadRegistry(box.store)).toMatchObject({ state: 'damaged' })
    // The full save that rebuilds leaves the directory (best effort) and the registry still reads as damaged: nothing is deleted meanwhile.
    saveRegistry(box.store, { version: 1, projects: {} })
    expect(loadRegistry(box.store)).toMatchObject({ state: 'damaged' })
    fs.rmdirSync(deltaFile())
    execFileSync('mkfifo', [deltaFile()])
    expect(loadRegistry(box.store)).toMatchObject({ state: 'damaged', reason: expect.stringContaining('not a regular file') })
  })

  test('a "__proto__" dir in the file or the delta is an entry of its own (left for the stray-entry check), never the prototype', () => {
    seed()
    const base = JSON.parse(fs.readFileSync(file(), 'utf8')).id
    // JSON.parse makes "__proto__" an own key; the forgery's entry would put /work/ghost on the prototype.
    fs.writeFileSync(deltaFile(), sealedJson(JSON.parse(`{"version":1,"base":"${base}","projects":{"__proto__":{"names":["x"],"lockfiles":[],"/work/ghost":{"names":[]}}}}`)))
    const loaded = load()
    expect(Object.getPrototypeOf(loaded.projects)).toBe(Object.prototype)
    expect(Object.keys(loaded.projects)).toContain('__proto__')
    expect(loaded.projects['/work/ghost']).toBeUndefined()
    fs.rmSync(deltaFile())
    fs.writeFileSync(file(), sealedJson(JSON.parse('{"version":1,"projects":{"__proto__":{"names":["x"],"lockfiles":[],"/work/ghost":{"names":[]}}}}')))
    const plainFile = load()
    expect(Object.getPrototypeOf(plainFile.projects)).toBe(Object.prototype)
    expect(plainFile.projects['/work/ghost']).toBeUndefined()
  })
})
