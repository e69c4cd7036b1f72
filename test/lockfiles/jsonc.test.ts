import { parseJsonc } from '../../src/lockfiles/jsonc'

describe('parseJsonc', () => {
  test('trailing commas and comments are dropped; strings are left alone', () => {
    const text = '{\n  // a comment\n  "a": [1, 2,], /* block, */ "b": "x // not, a comment,}",\n  "c": {"d": "\\"q\\"",},\n}\n'
    expect(parseJsonc(text)).toEqual({ value: { a: [1, 2], b: 'x // not, a comment,}', c: { d: '"q"' } } })
  })

  test.each([
    ['truncated', '{"a": [1, 2,'],
    ['an unterminated string', '{"a": "b'],
    ['an unterminated comment', '{"a": 1 /* no end'],
    ['a stray slash', '{"a": 1 / 2}'],
    ['a comma before nothing', '{"a": 1,'],
    ['two commas', '{"a": 1,,}'],
  ])('%s → error', (_label, text) => {
    expect(parseJsonc(text)).toEqual({ error: expect.stringMatching(/^invalid JSON/) })
  })
})
