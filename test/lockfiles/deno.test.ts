import { parseLockfile } from '../../src/lockfiles'

const V5 = JSON.stringify({
  version: '5',
  specifiers: { 'npm:is-odd@^3.0.1': '3.0.1', 'npm:@preact/signals@2': '2.9.0_preact@10.29.1', 'jsr:@std/path@1': '1.0.8' },
  jsr: { '@std/path@1.0.8': { integrity: 'x' } },
  npm: {
    'is-odd@3.0.1': { integrity: 'x', dependencies: ['is-number'] },
    'is-number@6.0.0': { integrity: 'x' },
    '@preact/signals@2.9.0_preact@10.29.1': { integrity: 'x', dependencies: ['preact', 'cjs-alias@npm:string-width@4.2.3'] },
    'preact@10.29.1': { integrity: 'x' },
    'string-width@4.2.3': { integrity: 'x' },
  },
  workspace: { dependencies: ['npm:is-odd@^3.0.1'], members: { 'packages/a': { dependencies: ['npm:@preact/signals@2'] } } },
}, null, 2)

function read(text: string): ReturnType<typeof parseLockfile> {
  return parseLockfile('deno', text)
}

describe('deno.lock', () => {
  test('v5: npm keys with peer suffixes, npm: specifiers, aliases in dependencies, workspace members; jsr is not npm', () => {
    const result = read(V5)
    expect(result.ok && [...result.names].sort()).toEqual(['@preact/signals', 'cjs-alias', 'is-number', 'is-odd', 'preact', 'string-width'])
    expect(result.ok && result.importerDirs).toEqual(['.', 'packages/a'])
    expect(read(V5.replace('"version": "5"', '"version": "4"')).ok).toBe(true)
  })

  test.each([
    ['version 3', V5.replace('"version": "5"', '"version": "3"'), 'unsupported deno.lock version "3"'],
    ['a specifier without its entry', V5.replace('"is-odd@3.0.1": {', '"is-odd@3.0.2": {'), 'npm:is-odd@^3.0.1 resolves to is-odd@3.0.1, which has no npm entry'],
    ['a dependency without an entry', V5.replace('"preact@10.29.1": {', '"preact-x@10.29.1": {'), 'preact is a dependency but has no entry'],
    ['a malformed key', V5.replace('"is-number@6.0.0"', '"is-number"'), 'malformed npm key "is-number"'],
    ['a cut', V5.slice(0, 200), 'invalid JSON'],
  ])('%s → unknown', (_label, text, reason) => {
    const result = read(text)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.reason).toContain(reason)
  })
})
