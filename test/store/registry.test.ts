/** The registry file: names stored once in a table, per-project ids as gaps; format 1 still read; damage detected. */
import fs from 'node:fs'
import path from 'node:path'
import { loadRegistry, saveRegistry, type Registry } from '../../src/store/registry'
import { markableIds } from '../../src/store/registry-names'
import { sealedJson } from '../../src/store/atomic'
import { useSandbox } from '../runtime/support'
import { bookkeepingDir } from '../../src/runtime/layout'

describe('registry file', () => {
  const box = useSandbox()
  const file = (): string => path.join(bookkeepingDir(box.store), 'registry.json')
  const write = (content: unknown): void => {
    fs.mkdirSync(path.dirname(file()), { recursive: true })
    fs.writeFileSync(file(), JSON.stringify(content))
  }
  const stamp = { path: '/p/pnpm-lock.yaml', size: 10, mtimeMs: 1.5 }
  const registry: Registry = {
    version: 1,
    projects: {
      '/p': { names: ['react', '@types/node', 'a'], lockfiles: [stamp], checkedAt: '2024-01-01T00:00:00.000Z', source: 'access' },
      '/q': { names: [], lockfiles: [], checkedAt: '2024-01-02T00:00:00.000Z', source: 'hook' },
      '/r': { names: ['a', 'zeta'], lockfiles: [], checkedAt: '2024-01-03T00:00:00.000Z', source: 'register' },
    },
  }

  test('round-trips every entry, names sorted', () => {
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    saveRegistry(box.store, registry)
    const read = loadRegistry(box.store)
    expect(read).toEqual({ state: 'ok', value: {
      version: 1,
      projects: {
        '/p': { ...registry.projects['/p'], names: ['@types/node', 'a', 'react'] },
        '/q': registry.projects['/q'],
        '/r': registry.projects['/r'],
      },
    } })
  })

  test('stores each name once', () => {
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    saveRegistry(box.store, registry)
    const stored = JSON.parse(fs.readFileSync(file(), 'utf8'))
    expect(stored).toMatchObject({ version: 2, names: ['@types/node', 'a', 'react', 'zeta'] })
    expect(stored.projects['/p'].names).toEqual([1, 1, 1])
    expect(stored.projects['/r'].names).toEqual([2, 2])
  })

  test('a save after a load re-encodes only what changed, and a new name makes a new sorted table', () => {
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    saveRegistry(box.store, registry)
    const loaded = loadRegistry(box.store)
    if (loaded.state !== 'ok') throw new Error('not ok')
    expect(Object.isFrozen(loaded.value.projects['/p'].names)).toBe(true)
    // /r drops zeta (the table keeps it: three quarters are still used); /q gains react.
    const changed: Registry = { version: 1, projects: {
      ...loaded.value.projects,
      '/q': { ...loaded.value.projects['/q'], names: ['react'] },
      '/r': { ...loaded.value.projects['/r'], names: ['a'] },
    } }
    saveRegistry(box.store, changed)
    expect(JSON.parse(fs.readFileSync(file(), 'utf8')).names).toEqual(['@types/node', 'a', 'react', 'zeta'])
    expect(loadRegistry(box.store)).toMatchObject({ state: 'ok', value: { projects: {
      '/p': { names: ['@types/node', 'a', 'react'] }, '/q': { names: ['react'] }, '/r': { names: ['a'] },
    } } })
    const reloaded = loadRegistry(box.store)
    if (reloaded.state !== 'ok') throw new Error('not ok')
    saveRegistry(box.store, { version: 1, projects: { ...reloaded.value.projects, '/s': { ...registry.projects['/q'], names: ['beta', 'a'] } } })
    const stored = JSON.parse(fs.readFileSync(file(), 'utf8'))
    expect(stored.names).toEqual(['@types/node', 'a', 'beta', 'react'])
    expect(loadRegistry(box.store)).toMatchObject({ state: 'ok', value: { projects: {
      '/p': { names: ['@types/node', 'a', 'react'] }, '/q': { names: ['react'] }, '/r': { names: ['a'] }, '/s': { names: ['a', 'beta'] },
    } } })
  })

  test('a save to one store never writes the names table loaded from another', () => {
    const storeA = path.join(box.tmp, 'a')
    const storeB = path.join(box.tmp, 'b')
    for (const store of [storeA, storeB]) fs.mkdirSync(bookkeepingDir(store), { recursive: true })
    saveRegistry(storeA, { version: 1, projects: {
      '/private': { names: ['a', 'b', 'secret-a', 'secret-b'], lockfiles: [], checkedAt: '2024-01-01T00:00:00.000Z', source: 'hook' },
    } })
    expect(loadRegistry(storeA)).toMatchObject({ state: 'ok' })
    // B's names are all in A's table and use three quarters of it: a process-wide cache would reuse it.
    saveRegistry(storeB, { version: 1, projects: {
      '/b': { names: ['a', 'b', 'secret-a'], lockfiles: [], checkedAt: '2024-01-02T00:00:00.000Z', source: 'hook' },
    } })
    const stored = JSON.parse(fs.readFileSync(path.join(bookkeepingDir(storeB), 'registry.json'), 'utf8'))
    expect(stored.names).toEqual(['a', 'b', 'secret-a'])
    expect(loadRegistry(storeB)).toMatchObject({ state: 'ok', value: { projects: { '/b': { names: ['a', 'b', 'secret-a'] } } } })
  })

  test('reads format 1 (names spelled out per project)', () => {
    write({ version: 1, projects: { '/p': registry.projects['/p'] } })
    expect(loadRegistry(box.store)).toEqual({ state: 'ok', value: { version: 1, projects: { '/p': registry.projects['/p'] } } })
  })

  test.each([
    ['an id past the table', { version: 2, names: ['a'], projects: { '/p': { names: [2], lockfiles: [] } } }],
    ['a zero gap (a repeated id)', { version: 2, names: ['a', 'b'], projects: { '/p': { names: [1, 0], lockfiles: [] } } }],
    ['a fractional gap', { version: 2, names: ['a', 'b'], projects: { '/p': { names: [1.5], lockfiles: [] } } }],
    ['a name that is not a string', { version: 2, names: ['a', 7], projects: {} }],
    ['no table', { version: 2, projects: {} }],
    ['format 1 with a non-string name', { version: 1, projects: { '/p': { names: [1], lockfiles: [] } } }],
    ['entries without lockfiles', { version: 2, names: [], projects: { '/p': { names: [] } } }],
  ])('%s is damage', (_what, content) => {
    write(content)
    expect(loadRegistry(box.store)).toMatchObject({ state: 'damaged' })
  })

  test('a version this code does not know (a newer writer\'s) is newer, not damage: the gc neither rebuilds nor rewrites it', () => {
    for (const version of [3, 999, '2', 2.5]) {
      write({ version, names: [], projects: {} })
      expect(loadRegistry(box.store)).toMatchObject({ state: 'newer', reason: expect.stringContaining(`has version ${JSON.stringify(version)}`) })
    }
  })

  test('names as loaded have their table: the ids walked from the gaps are the table\'s ids of the names, in order', () => {
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    saveRegistry(box.store, registry)
    const read = loadRegistry(box.store)
    if (read.state !== 'ok') throw new Error(read.state)
    const tables = new Set<unknown>()
    for (const entry of Object.values(read.value.projects)) {
      const before = markableIds(entry)
      if (before === undefined) throw new Error('no table')
      const { table, gaps } = before
      tables.add(table)
      const ids: number[] = []
      for (let i = 0, id = -1; i < gaps.length; i++) ids.push(id += gaps[i])
      expect(ids).toEqual(entry.names.map((name) => table.idOf(name)))
      for (const id of ids) expect(id >= 0 && id < table.size).toBe(true)
      // Decoded now: the names array itself has them.
      expect(markableIds(entry.names)).toBe(before)
    }
    expect(tables.size).toBe(1)
    // A names array not as loaded (a copy, a hook's) has none.
    expect(markableIds([...read.value.projects['/p'].names])).toBeUndefined()
  })

  test('a table that spells a name twice (not written by this code) gives no table: a name would have two ids', () => {
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    fs.writeFileSync(file(), sealedJson({ version: 2, names: ['b', 'a', 'b'], projects: { '/p': { names: [1, 1, 1], lockfiles: [], checkedAt: '2024-01-01T00:00:00.000Z', source: 'access' } } }))
    const read = loadRegistry(box.store)
    if (read.state !== 'ok') throw new Error(read.state)
    expect(markableIds(read.value.projects['/p'])).toBeUndefined()
    expect(read.value.projects['/p'].names).toEqual(['b', 'a', 'b'])
    expect(markableIds(read.value.projects['/p'].names)).toBeUndefined()
  })

  test('a missing file is missing', () => {
    expect(loadRegistry(box.store)).toEqual({ state: 'missing' })
  })
})
