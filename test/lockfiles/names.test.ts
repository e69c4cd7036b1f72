import { aliasTarget, isLoosePackageName, nameFromKey, namesFromDescriptor } from '../../src/lockfiles/names'

describe('lockfile name rules', () => {
  test.each([
    ['@types/node@20.11.0(x@1)', '@types/node'],
    ['react-dom@18.3.1(react@18.3.1)', 'react-dom'],
    ['is-odd@3.0.1', 'is-odd'],
    ['local-dep@file:local-dep', 'local-dep'],
    ['foo@work:1.0.0', 'foo'],
    ['foo@https://codeload.github.com/a/b/tar.gz/abc', 'foo'],
    ['7zip-bin@5.2.0', '7zip-bin'],
    ['foo', null],
    ['@scope/foo', null],
    ['/is-positive@3.1.0', null],
    ['@scope@1.0.0', null],
    ['is odd@1.0.0', null],
    ['', null],
  ])('nameFromKey(%j) = %j', (key, name) => {
    expect(nameFromKey(key)).toBe(name)
  })

  test.each([
    ['is-odd@0.1.2', 'is-odd'],
    ['npm:is-odd@^0.1.2', 'is-odd'],
    ['@scope/x@1.0.0(peer@1.0.0)', '@scope/x'],
    ['7zip-bin@5.2.0', '7zip-bin'],
    ['1.0.0', null],
    ['1.0.0(react@18.3.1)', null],
    ['link:../a', null],
    ['file:local-dep', null],
    ['workspace:*', null],
    ['https://example.com/a@1.tgz', null],
    ['git+ssh://git@github.com/a/b.git', null],
  ])('aliasTarget(%j) = %j', (version, name) => {
    expect(aliasTarget(version)).toBe(name)
  })

  test.each([
    ['my-odd@npm:is-odd@0.1.2', ['my-odd', 'is-odd']],
    ['is-number@npm:^3.0.0', ['is-number']],
    ['js-tokens@^3.0.0 || ^4.0.0', ['js-tokens']],
    ['@sindresorhus/is@4.6.0', ['@sindresorhus/is']],
    ['ws-a@workspace:packages/a', ['ws-a']],
    ['resolve@patch:resolve@npm%3A^1.20.0#optional!builtin<compat/resolve>', ['resolve']],
    ['no-range', null],
  ])('namesFromDescriptor(%j) = %j', (descriptor, names) => {
    expect(namesFromDescriptor(descriptor)).toEqual(names)
  })

  test('isLoosePackageName accepts npm-shaped names only', () => {
    expect(['a', '@s/a', 'A_b.c-d', '7zip'].every(isLoosePackageName)).toBe(true)
    expect(['', '@s', '@s/', 'a/b', '@s/a/b', 'a b', 'a@1', 'a:b', 'a(b)'].some(isLoosePackageName)).toBe(false)
  })
})
