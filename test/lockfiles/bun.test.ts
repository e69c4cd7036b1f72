import { parseLockfile } from '../../src/lockfiles'
import { sorted } from './fixtures'

const LOCK = `{
  // written by hand, with the JSONC bun allows
  "lockfileVersion": 1,
  "workspaces": {
    "": { "name": "root", "dependencies": { "alias": "npm:@s/real@^1.0.0", }, },
    "packages/a": { "name": "a", "devDependencies": { "b": "^2", }, },
  },
  "packages": {
    "alias": ["@s/real@1.0.0", "", {}, "sha512-x"],
    "alias/@s/nested": ["@s/nested@3.0.0", "", {}, "sha512-y"],
    "b": ["b@2.0.0", "", {}, "sha512-z"],
    "a": ["a@workspace:packages/a"],
  },
}
`

describe('bun.lock', () => {
  test('install paths, value[0] real names, workspaces', () => {
    const read = parseLockfile('bun', LOCK)
    expect(read).toMatchObject({ ok: true, kind: 'bun', importerDirs: ['.', 'packages/a'] })
    expect(read.ok && sorted(read.names)).toEqual(['@s/nested', '@s/real', 'a', 'alias', 'b', 'root'])
  })

  test.each([
    ['binary content', '#!/usr/bin/env bun\nbun-lockfile-format-v0\n\u0003\u0000\u0000', 'binary bun.lockb is not readable; run bun with text lockfile'],
    ['an unsupported version', LOCK.replace('"lockfileVersion": 1', '"lockfileVersion": 9'), 'unsupported lockfileVersion 9'],
    ['no packages', LOCK.replace('"packages"', '"pkgs"'), 'no packages map'],
    ['no workspaces', LOCK.replace('"workspaces"', '"ws"'), 'no workspaces map'],
    ['a package without name@version', LOCK.replace('["b@2.0.0", "", {}, "sha512-z"]', '[]'), 'has no name@version'],
    ['a malformed path', LOCK.replace('"alias/@s/nested"', '"alias/@s/"'), 'malformed package path'],
    ['truncated', LOCK.slice(0, LOCK.indexOf('"b":')), 'invalid JSON'],
    ['garbage', 'bun bun bun', 'invalid JSON'],
  ])('%s → ok:false', (_label, text, reason) => {
    const read = parseLockfile('bun', text)
    expect(read).toMatchObject({ ok: false, kind: 'bun' })
    expect(!read.ok && read.reason).toContain(reason)
  })
})
