/**
 * The registry's delta: a save given the registry loaded this run writes only the changed
 * entries beside the file, tied to the file's id; a load applies a delta only to the file it
 * names; a stale one is ignored, and so is a damaged one (reported: the file alone keeps at least
 * as much, since a delta only takes away), a newer one makes the registry newer. A project or a
 * name added is written with the file whole.
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

  test('a save given the loaded registry writes the changed and dropped projects only; the file stays as it was', () => {
    const seeded = seed()
    const before = fs.readFileSync(file(), 'utf8')
    const loaded = load()
    const next: Registry = { version: 1, projects: { ...loaded.projects } }
    next.projects['/work/p3'] = entry(names(3).slice(0, 2), { lockfiles: [], source: 'hook' })
    delete next.projects['/work/p7']
    saveRegistry(box.store, next, loaded)
    expect(fs.readFileSync(file(), 'utf8')).toBe(before)
    const delta = JSON.parse(fs.readFileSync(deltaFile(), 'utf8'))
    expect(Object.keys(delta.projects).sort()).toEqual(['/work/p3', '/work/p7'])
    expect(delta.projects['/work/p7']).toBeNull()
    expect(delta.base).toBe(JSON.parse(before).id)
    const expected: Record<string, ProjectEntry> = { ...seeded.projects, '/work/p3': next.projects['/work/p3'] }
    delete expected['/work/p7']
    expect(plain(load())).toEqual(expected)
  })

  test.each([
    ['a project', (projects: Record<string, ProjectEntry>): void => { projects['/work/new'] = entry(['fresh']) }],
    ['a name to a project', (projects: Record<string, ProjectEntry>): void => { projects['/work/p1'] = entry([...names(1).slice(1), 'fresh']) }],
  ])('a save that adds %s writes the file whole: a release that knows no delta reads the file alone', (_what, change) => {
    seed()
    const idBefore = JSON.parse(fs.readFileSync(file(), 'utf8')).id
    const loaded = load()
    // A delta from an earlier sweep is folded too.
    saveRegistry(box.store, { version: 1, projects: { ...loaded.projects, '/work/p2': entry(names(2).slice(3)) } }, loaded)
    expect(fs.existsSync(deltaFile())).toBe(true)
    const second = load()
    const next: Registry = { version: 1, projects: { ...second.projects } }
    change(next.projects)
    saveRegistry(box.store, next, second)
    expect(fs.existsSync(deltaFile())).toBe(false)
    expect(JSON.parse(fs.readFileSync(file(), 'utf8')).id).not.toBe(idBefore)
    expect(plain(load())).toEqual(plain(next))
  })

  test('the file alone (as a release that knows no delta reads it) holds every project and name the file and its delta hold', () => {
    seed()
    let loaded = load()
    for (let p = 0; p < 3; p++) {
      const next: Registry = { version: 1, projects: { ...loaded.projects, [`/work/p${p}`]: entry(names(p).slice(p, p + 2), { source: p % 2 === 0 ? 'hook' : 'access' }) } }
      if (p === 2) delete next.projects['/work/p9']
      saveRegistry(box.store, next, loaded)
      loaded = load()
    }
    expect(fs.existsSync(deltaFile())).toBe(true)
    fs.renameSync(deltaFile(), `${deltaFile()}.aside`)
    const alone = load()
    for (const [dir, e] of Object.entries(loaded.projects)) expect(alone.projects[dir].names).toEqual(expect.arrayContaining([...e.names]))
    expect(Object.keys(alone.projects).length).toBeGreaterThan(Object.keys(loaded.projects).length)
  })

  test('deltas accumulate against the file; a change undone leaves the project as the file has it', () => {
    seed()
    const first = load()
    const only = names(1).slice(0, 3).sort()
    saveRegistry(box.store, { version: 1, projects: { ...first.projects, '/work/p1': entry(only) } }, first)
    const second = load()
    expect(second.projects['/work/p1'].names).toEqual(only)
    saveRegistry(box.store, { version: 1, projects: { ...second.projects, '/work/p2': entry(names(2).slice(0, 2)) } }, second)
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
    for (let p = 0; p < 6; p++) next.projects[`/work/p${p}`] = entry(names(p).slice(1))
    const idBefore = JSON.parse(fs.readFileSync(file(), 'utf8')).id
    saveRegistry(box.store, next, loaded)
    expect(fs.existsSync(deltaFile())).toBe(false)
    expect(JSON.parse(fs.readFileSync(file(), 'utf8')).id).not.toBe(idBefore)
    expect(load().projects['/work/p5'].names).toEqual(names(5).slice(1).sort())
  })

  test('a save without the loaded registry (the full gc) writes the file whole and drops the delta', () => {
    seed()
    const loaded = load()
    saveRegistry(box.store, { version: 1, projects: { ...loaded.projects, '/work/p1': entry(names(1).slice(0, 1)) } }, loaded)
    expect(fs.existsSync(deltaFile())).toBe(true)
    const merged = load()
    saveRegistry(box.store, merged)
    expect(fs.existsSync(deltaFile())).toBe(false)
    expect(load().projects['/work/p1'].names).toEqual(names(1).slice(0, 1))
  })

  test('a stale delta (the file rewritten since, the delta not yet removed) is ignored', () => {
    seed()
    const loaded = load()
    saveRegistry(box.store, { version: 1, projects: { ...loaded.projects, '/work/p1': entry(names(1).slice(0, 1)) } }, loaded)
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

  /** Seeds the file, then a delta that would drop /work/p1's names if it were applied; returns the file's id. */
  const seedWithDelta = (): string => {
    seed()
    return JSON.parse(fs.readFileSync(file(), 'utf8')).id
  }
  const expectFileAlone = (reason: string | RegExp): void => {
    const read = loadRegistry(box.store)
    expect(read).toMatchObject({ state: 'ok', ignored: expect.stringMatching(reason) })
    if (read.state === 'ok') expect(read.value.projects['/work/p1'].names).toEqual([...names(1)].sort())
  }

  test.each([
    ['not JSON', (): string => '{"version":1,'],
    ['nothing (a new file cut short by a power cut)', (): string => ''],
    ['no version', (base: string): string => sealedJson({ base, projects: { '/work/p1': { names: [], lockfiles: [] } } })],
    ['no seal', (base: string): string => JSON.stringify({ version: 1, base, projects: { '/work/p1': { names: [], lockfiles: [] } } })],
    ['a broken seal', (base: string): string => sealedJson({ version: 1, base, projects: { '/work/p1': { names: [], lockfiles: [] } } }).replace('"projects"', '"projects" ')],
    ['names that are not strings', (base: string): string => sealedJson({ version: 1, base, projects: { '/work/p1': { names: [1], lockfiles: [] } } })],
    ['an entry without lockfiles', (base: string): string => sealedJson({ version: 1, base, projects: { '/work/p1': { names: [] } } })],
    ['an entry that is a string', (base: string): string => sealedJson({ version: 1, base, projects: { '/work/p1': 'x' } })],
  ])('a delta with %s for this file is ignored and said so: the file alone keeps at least as much', (_what, content) => {
    const base = seedWithDelta()
    fs.writeFileSync(deltaFile(), content(base))
    expectFileAlone(/registry\.delta\.json/)
  })

  test('a delta of another version for this file is newer: the gc neither rebuilds nor rewrites; a stale one of any version or shape is ignored', () => {
    const base = seedWithDelta()
    fs.writeFileSync(deltaFile(), sealedJson({ version: 2, base, projects: {} }))
    expect(loadRegistry(box.store)).toMatchObject({ state: 'newer', reason: expect.stringContaining('registry.delta.json') })
    for (const stale of [sealedJson({ version: 2, base: `${base}x`, projects: {} }), JSON.stringify({ version: 1, base: 'other', projects: { '/work/p1': 'x' } })]) {
      fs.writeFileSync(deltaFile(), stale)
      const read = loadRegistry(box.store)
      expect(read).toMatchObject({ state: 'ok' })
      expect(read).not.toHaveProperty('ignored')
    }
  })

  test('a delta larger than the file it changes could need is ignored unread', () => {
    const base = seedWithDelta()
    const projects: Record<string, unknown> = { '/work/p1': { names: [], lockfiles: [] } }
    for (let i = 0; i < 6000; i++) projects[`/work/pad-${i}`] = null
    fs.writeFileSync(deltaFile(), sealedJson({ version: 1, base, projects }))
    expect(fs.statSync(deltaFile()).size).toBeGreaterThan(fs.statSync(file()).size + 64 * 1024)
    expectFileAlone(/more than a state file can be/)
  })

  test('a FIFO, a directory or a link planted as the delta is ignored (read without blocking, never followed); the whole save removes what it can', () => {
    const base = seedWithDelta()
    fs.mkdirSync(deltaFile())
    expectFileAlone(/not a regular file|EISDIR/)
    // The whole save leaves the directory (best effort): the delta stays ignored, nothing else is held.
    saveRegistry(box.store, load())
    expectFileAlone(/not a regular file|EISDIR/)
    fs.rmdirSync(deltaFile())
    execFileSync('mkfifo', [deltaFile()])
    expectFileAlone(/not a regular file/)
    fs.rmSync(deltaFile())
    // A sound delta outside the store, linked in: never read through the link.
    const outside = path.join(box.tmp, 'outside-delta.json')
    fs.writeFileSync(outside, sealedJson({ version: 1, base, projects: { '/work/p1': { names: [], lockfiles: [] } } }))
    fs.symlinkSync(outside, deltaFile())
    expectFileAlone(/symbolic link/)
    saveRegistry(box.store, load())
    expect(fs.existsSync(deltaFile())).toBe(false)
    expect(fs.readFileSync(outside, 'utf8')).toContain('/work/p1')
  })

  test('a link planted as the registry file is damage, never read through; the whole write replaces the link, not its target', () => {
    seed()
    const outside = path.join(box.tmp, 'outside-registry.json')
    fs.renameSync(file(), outside)
    const target = fs.readFileSync(outside, 'utf8')
    fs.symlinkSync(outside, file())
    expect(loadRegistry(box.store)).toMatchObject({ state: 'damaged', reason: expect.stringContaining('symbolic link') })
    saveRegistry(box.store, { version: 1, projects: { '/work/p1': entry(['only']) } })
    expect(fs.lstatSync(file()).isFile()).toBe(true)
    expect(fs.readFileSync(outside, 'utf8')).toBe(target)
    expect(load().projects['/work/p1'].names).toEqual(['only'])
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
