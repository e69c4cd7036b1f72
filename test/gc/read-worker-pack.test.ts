/**
 * What a lockfile read on the helper thread sends back is exactly what it read (docs/design.md,
 * "Reading lockfiles fast": names cross as numbers into one table of distinct names).
 */
import { NameTable, unpack } from '../../src/gc/read-worker'
import type { ReadOutcome } from '../../src/gc/projects'

/** Packs outcomes in one table, clones them as postMessage does, unpacks them. */
function roundTrip(outcomes: ReadOutcome[]): { back: ReadOutcome[]; tableSize: number } {
  const table = new NameTable()
  const packed = outcomes.map((outcome) => table.pack(outcome))
  const message = structuredClone({ names: table.names, done: packed })
  return { back: message.done.map((p) => unpack(p, message.names)), tableSize: message.names.length }
}

function withoutFlag(outcome: ReadOutcome): ReadOutcome {
  return 'reason' in outcome ? outcome : { names: outcome.names }
}

test.each<[string, ReadOutcome]>([
  ['no names', { names: [] }],
  ['one name', { names: ['pkg-a'] }],
  ['several names', { names: ['@scope/a', 'b', 'c-d'] }],
  ['an empty name among others', { names: ['', 'b'] }],
  ['a name holding a newline', { names: ['a\nb', 'c'] }],
  ['an unknown project', { reason: 'pnpm-lock.yaml: not a lockfile' }],
])('%s crosses the threads unchanged', (_what, outcome) => {
  const { back } = roundTrip([outcome])
  expect(back.map(withoutFlag)).toEqual([outcome])
})

test('names shared by projects cross once; each project gets its own names in its order', () => {
  const outcomes: ReadOutcome[] = [{ names: ['a', 'b', 'c'] }, { reason: 'unreadable' }, { names: ['c', 'a', 'd'] }, { names: [] }]
  const { back, tableSize } = roundTrip(outcomes)
  expect(back.map(withoutFlag)).toEqual(outcomes)
  expect(tableSize).toBe(4)
  expect(back[0]).toMatchObject({ interned: true })
})
