/**
 * What a lockfile read on the helper thread sends back is exactly what it read (docs/design.md,
 * "Performance": names cross as one joined string).
 */
import { pack, unpack } from '../../src/gc/read-worker'
import type { ReadOutcome } from '../../src/gc/projects'

test.each<[string, ReadOutcome]>([
  ['no names', { names: [] }],
  ['one name', { names: ['pkg-a'] }],
  ['several names', { names: ['@scope/a', 'b', 'c-d'] }],
  ['an empty name among others', { names: ['', 'b'] }],
  ['a name holding a newline', { names: ['a\nb', 'c'] }],
  ['an unknown project', { reason: 'pnpm-lock.yaml: not a lockfile' }],
])('%s crosses the threads unchanged', (_what, outcome) => {
  expect(unpack(structuredClone(pack(outcome)))).toEqual(outcome)
})
