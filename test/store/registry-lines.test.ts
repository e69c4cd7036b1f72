/**
 * The registry's line layout: a save writes projects that did not change back as the lines they
 * were read from. Whatever the file held (this version's writing, or any edit of it, re-sealed so
 * that the checksum lets it through), loading, changing one project, saving and loading again
 * must give what the first load gave with that change, never anything else.
 */
import fs from 'node:fs'
import path from 'node:path'
import { sealText } from '../../src/store/atomic'
import { loadRegistry, saveRegistry, type Registry } from '../../src/store/registry'
import { bookkeepingDir } from '../../src/runtime/layout'
import { useSandbox } from '../runtime/support'

const SEAL = ',"checksum":"'

/** A deterministic PRNG, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

describe('registry line layout', () => {
  const box = useSandbox()
  const file = (): string => path.join(bookkeepingDir(box.store), 'registry.json')
  const bodyOf = (text: string): string => `${text.slice(0, text.lastIndexOf(SEAL))}}`

  /**
   * Loads the sealed `body`, changes one project (or none), saves, loads again: the second load
   * must be the first plus the change. Returns the first load's state.
   */
  const roundTrip = (body: string, change: boolean): string => {
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    fs.writeFileSync(file(), sealText(body))
    const first = loadRegistry(box.store)
    if (first.state !== 'ok') return first.state
    const expected: Registry = { version: 1, projects: { ...first.value.projects } }
    const [dir] = Object.keys(expected.projects)
    if (change && dir !== undefined) expected.projects[dir] = { ...expected.projects[dir], names: ['a', 'new-name'], checkedAt: '2030-01-01T00:00:00.000Z' }
    saveRegistry(box.store, expected)
    const second = loadRegistry(box.store)
    expect(second.state).toBe('ok')
    if (second.state === 'ok') {
      expect(Object.keys(second.value.projects)).toEqual(Object.keys(expected.projects))
      // Names come back in the table's order (sorted unless an edit unsorted it): compared as sets.
      for (const [key, entry] of Object.entries(expected.projects)) {
        const got = second.value.projects[key]
        expect({ ...got, names: [...got.names].sort() }).toEqual({ ...entry, names: [...new Set(entry.names)].sort() })
      }
    }
    return 'ok'
  }

  const dirs = ['/p', '/q/with "quotes"', '/r/back\\slash', '/s/ünïcødé/😀', '/t/tab\there', '/u/]bracket,comma', '/v/"names":[1]']
  const names = ['react', '@types/node', 'a', 'zeta', 'b', 'c', 'd', 'e']
  const registryOf = (random: () => number): Registry => {
    const projects: Registry['projects'] = {}
    for (const dir of dirs) {
      if (random() < 0.2) continue
      projects[dir] = {
        names: names.filter(() => random() < 0.5),
        lockfiles: random() < 0.5 ? [] : [{ path: `${dir}/pnpm-lock.yaml`, size: Math.floor(random() * 1e6), mtimeMs: random() * 1e12 }],
        checkedAt: new Date(Math.floor(random() * 1e12)).toISOString(),
        source: (['access', 'hook', 'register'] as const)[Math.floor(random() * 3)],
      }
    }
    return { version: 1, projects }
  }

  test('what this version writes is one project per line, and reads back as written', () => {
    const random = prng(1)
    for (let round = 0; round < 20; round++) {
      const registry = registryOf(random)
      fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
      saveRegistry(box.store, registry)
      const text = fs.readFileSync(file(), 'utf8')
      expect(text.split('\n')).toHaveLength(Object.keys(registry.projects).length + 2)
      const read = loadRegistry(box.store)
      expect(read.state).toBe('ok')
      if (read.state !== 'ok') continue
      for (const [dir, entry] of Object.entries(registry.projects)) {
        expect(read.value.projects[dir]).toEqual({ ...entry, names: [...new Set(entry.names)].sort() })
      }
      expect(Object.keys(read.value.projects).sort()).toEqual(Object.keys(registry.projects).sort())
      expect(roundTrip(bodyOf(text), true)).toBe('ok')
    }
  })

  test.each([
    ['a leading zero', (line: string) => line.replace('"names":[1', '"names":[01')],
    ['a zero gap', (line: string) => line.replace('"names":[1', '"names":[0')],
    ['an exponent', (line: string) => line.replace('"names":[1', '"names":[1e0')],
    ['a fraction', (line: string) => line.replace('"names":[1', '"names":[1.0')],
    ['a space', (line: string) => line.replace('"names":[1', '"names":[ 1')],
    ['a trailing comma', (line: string) => line.replace('"names":[1', '"names":[1,')],
    ['an id past the table', (line: string) => line.replace('"names":[1', '"names":[99')],
    ['a second names member', (line: string) => line.replace('"lockfiles"', '"names":[2],"lockfiles"')],
    ['names last', (line: string) => line.replace(/"names":\[([0-9,]*)\],(.*)\}(,?)$/, '$2,"names":[$1]}$3')],
    ['no lockfiles', (line: string) => line.replace('"lockfiles"', '"lockfilez"')],
    ['an escaped key', (line: string) => line.replace('"/p"', '"\\/p"')],
    ['a bad escape', (line: string) => line.replace('"/p"', '"\\x"')],
    ['a negative gap', (line: string) => line.replace('"names":[1', '"names":[-1')],
    ['a huge gap', (line: string) => line.replace('"names":[1', '"names":[12345678901234567890')],
  ])('an edit (%s): a save after loading it keeps exactly what was loaded', (_what, edit) => {
    const registry: Registry = { version: 1, projects: {
      '/p': { names: ['a', 'b', 'c'], lockfiles: [], checkedAt: '2024-01-01T00:00:00.000Z', source: 'access' },
      '/q': { names: ['a'], lockfiles: [], checkedAt: '2024-01-02T00:00:00.000Z', source: 'hook' },
    } }
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    saveRegistry(box.store, registry)
    const lines = bodyOf(fs.readFileSync(file(), 'utf8')).split('\n')
    const edited = edit(lines[1])
    expect(edited).not.toBe(lines[1])
    for (const change of [false, true]) roundTrip([lines[0], edited, ...lines.slice(2)].join('\n'), change)
  })

  test('random edits of a written file (re-sealed): a save after loading one keeps exactly what was loaded', () => {
    const random = prng(7)
    const alphabet = '0123456789,[]{}":\\ \nabc-'
    let loadedOk = 0
    for (let round = 0; round < 400; round++) {
      fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
      saveRegistry(box.store, registryOf(random))
      let body = bodyOf(fs.readFileSync(file(), 'utf8'))
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * body.length)
        const char = alphabet[Math.floor(random() * alphabet.length)]
        const kind = random()
        body = kind < 0.4 ? body.slice(0, at) + char + body.slice(at + 1) : kind < 0.7 ? body.slice(0, at) + char + body.slice(at) : body.slice(0, at) + body.slice(at + 1)
      }
      // A split surrogate pair cannot be written as UTF-8 at all (the file would differ from the body).
      if (/[\ud800-\udfff]/.test(body.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) continue
      if (roundTrip(body, random() < 0.7) === 'ok') loadedOk++
    }
    // Some edits keep a valid registry (a digit changed inside the table's range, say).
    expect(loadedOk).toBeGreaterThan(10)
  })

  test('a save after a load writes unchanged projects back as their lines, changed ones anew', () => {
    const registry: Registry = { version: 1, projects: {
      '/p': { names: ['a', 'b', 'c', 'd'], lockfiles: [], checkedAt: '2024-01-01T00:00:00.000Z', source: 'access' },
      '/q': { names: ['a', 'c'], lockfiles: [], checkedAt: '2024-01-02T00:00:00.000Z', source: 'hook' },
    } }
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    saveRegistry(box.store, registry)
    const before = fs.readFileSync(file(), 'utf8').split('\n')
    const loaded = loadRegistry(box.store)
    if (loaded.state !== 'ok') throw new Error('not ok')
    expect(Object.isFrozen(loaded.value.projects['/p'])).toBe(true)
    saveRegistry(box.store, { version: 1, projects: { ...loaded.value.projects, '/q': { ...loaded.value.projects['/q'], names: ['b'] } } })
    const after = fs.readFileSync(file(), 'utf8').split('\n')
    expect(after[0]).toBe(before[0])
    expect(after[1]).toBe(before[1])
    expect(after[2]).not.toBe(before[2])
    expect(loadRegistry(box.store)).toMatchObject({ state: 'ok', value: { projects: { '/p': { names: ['a', 'b', 'c', 'd'] }, '/q': { names: ['b'] } } } })
    // Written back as read, not encoded again: a line spelled differently (a space) keeps its spelling.
    const spelled = after.map((line, i) => (i === 1 ? line.replace('"lockfiles":', '"lockfiles": ') : line))
    fs.writeFileSync(file(), sealText(bodyOf(spelled.join('\n'))))
    const again = loadRegistry(box.store)
    if (again.state !== 'ok') throw new Error('not ok')
    saveRegistry(box.store, { version: 1, projects: { ...again.value.projects, '/q': { ...again.value.projects['/q'], names: ['c'] } } })
    const third = fs.readFileSync(file(), 'utf8').split('\n')
    expect(third[1]).toBe(spelled[1])
    expect(third[2]).toContain('"lockfiles":[]')
  })
})
