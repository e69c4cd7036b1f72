/**
 * The registry's line layout is read without parsing the file whole; this must give exactly what
 * parsing it whole gives, for the files this version writes and for any edit of them (re-sealed,
 * so the checksum lets them through): the same registry, or the same damage.
 */
import fs from 'node:fs'
import path from 'node:path'
import { sealedJson, sealText } from '../../src/store/atomic'
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

  /** What loading `body` gives when read in the layout, and when the same JSON is read whole. */
  const both = (body: string): { fast: unknown; whole: unknown } => {
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    fs.writeFileSync(file(), sealText(body))
    const fast = loadRegistry(box.store)
    let value: unknown
    try {
      value = JSON.parse(body)
    } catch {
      return { fast: fast.state, whole: 'damaged' }
    }
    // The same value in another layout (one line), which only the whole parse reads.
    fs.writeFileSync(file(), typeof value === 'object' && value !== null && !Array.isArray(value) ? sealedJson(value) : `${body}`)
    const whole = loadRegistry(box.store)
    return fast.state === 'ok' && whole.state === 'ok' ? { fast: fast.value, whole: whole.value } : { fast: fast.state, whole: whole.state }
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
      expect(both(bodyOf(text))).toEqual({ fast: read.value, whole: read.value })
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
  ])('an edit (%s) reads as the whole parse reads it', (_what, edit) => {
    const registry: Registry = { version: 1, projects: {
      '/p': { names: ['a', 'b', 'c'], lockfiles: [], checkedAt: '2024-01-01T00:00:00.000Z', source: 'access' },
      '/q': { names: ['a'], lockfiles: [], checkedAt: '2024-01-02T00:00:00.000Z', source: 'hook' },
    } }
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    saveRegistry(box.store, registry)
    const lines = bodyOf(fs.readFileSync(file(), 'utf8')).split('\n')
    const edited = edit(lines[1])
    expect(edited).not.toBe(lines[1])
    const result = both([lines[0], edited, ...lines.slice(2)].join('\n'))
    expect(result.fast).toEqual(result.whole)
  })

  test('random edits of a written file (re-sealed) read as the whole parse reads them', () => {
    const random = prng(7)
    const alphabet = '0123456789,[]{}":\\ \nabc-'
    let fastOk = 0
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
      const result = both(body)
      expect(result.fast).toEqual(result.whole)
      if (typeof result.fast === 'object') fastOk++
    }
    // Some edits keep a valid registry (a digit changed inside the table's range, say).
    expect(fastOk).toBeGreaterThan(10)
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
  })
})
