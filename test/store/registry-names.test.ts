/**
 * A registry file's names are decoded when first read: a run that asks whether a project lists a
 * few names compares ids in the stored gaps instead, with the same answers as the names.
 */
import fs from 'node:fs'
import path from 'node:path'
import { assessWorld } from '../../src/gc/world'
import { checkProject, stateLists } from '../../src/gc/projects'
import { readHistory } from '../../src/store/history'
import { loadRegistry, saveRegistry, type ProjectEntry, type Registry } from '../../src/store/registry'
import { copyEntry, listsName } from '../../src/store/registry-names'
import { sealedJson } from '../../src/store/atomic'
import { bookkeepingDir } from '../../src/runtime/layout'
import { useSandbox } from '../runtime/support'

describe('registry names, decoded when read', () => {
  const box = useSandbox()
  const file = (): string => path.join(bookkeepingDir(box.store), 'registry.json')
  const names = (p: number): string[] => Array.from({ length: 30 }, (_, i) => `pkg-${(p * 13 + i * 7) % 120}`).filter((n, i, all) => all.indexOf(n) === i).sort()
  const seed = (count = 8): Registry => {
    const projects: Record<string, ProjectEntry> = {}
    for (let p = 0; p < count; p++) projects[path.join(box.tmp, `p${p}`)] = { names: names(p), lockfiles: [], checkedAt: '2024-01-01T00:00:00.000Z', source: 'hook' }
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    saveRegistry(box.store, { version: 1, projects })
    return { version: 1, projects }
  }
  const load = (): Registry => {
    const read = loadRegistry(box.store)
    if (read.state !== 'ok') throw new Error(read.state)
    return read.value
  }
  const undecoded = (entry: ProjectEntry): boolean => Object.getOwnPropertyDescriptor(entry, 'names')?.get !== undefined

  test('listsName answers as the names do, for every name of the table and some it lacks, before and after decoding', () => {
    const seeded = seed()
    const loaded = load()
    const asked = [...Array.from({ length: 120 }, (_, i) => `pkg-${i}`), 'absent', '', 'pkg-']
    for (const [dir, entry] of Object.entries(loaded.projects)) {
      expect(undecoded(entry)).toBe(true)
      const expected = asked.map((name) => seeded.projects[dir].names.includes(name))
      expect(asked.map((name) => listsName(entry, name))).toEqual(expected)
      expect(undecoded(entry)).toBe(true)
      expect(entry.names).toEqual(seeded.projects[dir].names)
      expect(undecoded(entry)).toBe(false)
      expect(asked.map((name) => listsName(entry, name))).toEqual(expected)
    }
  })

  test('a spread, JSON or a copy with new fields reads as the names; a copy keeps them undecoded; assigning replaces them', () => {
    const seeded = seed()
    const dir = path.join(box.tmp, 'p3')
    const entry = load().projects[dir]
    const copy = copyEntry(entry, { checkedAt: '2025-01-01T00:00:00.000Z' })
    expect(undecoded(copy)).toBe(true)
    expect(copy).toMatchObject({ checkedAt: '2025-01-01T00:00:00.000Z', names: seeded.projects[dir].names })
    expect(JSON.parse(JSON.stringify(load().projects[dir])).names).toEqual(seeded.projects[dir].names)
    expect({ ...load().projects[dir] }.names).toEqual(seeded.projects[dir].names)
    const assigned = load().projects[dir]
    assigned.names = ['other']
    expect(assigned.names).toEqual(['other'])
    expect(listsName(assigned, 'other')).toBe(true)
    expect(listsName(assigned, seeded.projects[dir].names[0])).toBe(false)
  })

  test('a sweep that asks about a few names decodes no other project\'s names, and the whole save writes them as stored', () => {
    const seeded = seed()
    const loaded = load()
    for (const dir of Object.keys(loaded.projects)) fs.mkdirSync(dir, { recursive: true })
    const world = assessWorld(loaded, readHistory(box.store, Date.now()), Date.now(), new Map(), new Set(['pkg-7', 'absent']))
    expect(world.liveNames.get('pkg-7')).toBe(Object.keys(seeded.projects).sort().find((dir) => seeded.projects[dir].names.includes('pkg-7')))
    expect(world.liveNames.get('absent')).toBeUndefined()
    expect(Object.values(loaded.projects).every(undecoded)).toBe(true)
    saveRegistry(box.store, loaded)
    expect(Object.values(loaded.projects).every(undecoded)).toBe(true)
    const again = load()
    for (const [dir, entry] of Object.entries(seeded.projects)) expect(again.projects[dir].names).toEqual(entry.names)
  })

  test('a copy given names keeps them; a spread of a project\'s state with other names answers from those', () => {
    seed()
    const dir = path.join(box.tmp, 'p3')
    const entry = load().projects[dir]
    const whole: Partial<ProjectEntry> = { names: ['fresh'], checkedAt: '2025-01-01T00:00:00.000Z' }
    const copy = copyEntry(entry, whole)
    expect(copy.names).toEqual(['fresh'])
    expect(listsName(copy, 'fresh')).toBe(true)
    fs.mkdirSync(dir, { recursive: true })
    const state = checkProject(dir, load().projects[dir], Date.now())
    const other = { ...state, names: ['fresh'] }
    expect(stateLists(other, 'fresh')).toBe(true)
    expect(stateLists(state, 'fresh')).toBe(false)
  })

  test('a table that spells a name twice (a forged file) is asked through the names, never by one of its ids', () => {
    const dir = path.join(box.tmp, 'p0')
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    // ids 0 and 2 are both "dup": the project lists id 2 only.
    fs.writeFileSync(file(), sealedJson({ version: 2, id: 'x', names: ['dup', 'a', 'dup'], projects: { [dir]: { names: [3], lockfiles: [], checkedAt: '2024-01-01T00:00:00.000Z', source: 'hook' } } }))
    const entry = load().projects[dir]
    expect(listsName(entry, 'dup')).toBe(true)
    expect(entry.names).toEqual(['dup'])
  })

  test.each([[[0]], [[1.5]], [['1']], [[2, 2]]])('gaps %j are damage, found when the file loads', (gaps) => {
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    fs.writeFileSync(file(), sealedJson({ version: 2, id: 'x', names: ['a', 'b', 'c'], projects: { '/p': { names: gaps, lockfiles: [], checkedAt: '2024-01-01T00:00:00.000Z', source: 'hook' } } }))
    expect(loadRegistry(box.store)).toMatchObject({ state: 'damaged' })
  })
})
