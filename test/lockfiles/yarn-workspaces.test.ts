import fs from 'node:fs'
import path from 'node:path'

import { readLockfile } from '../../src/lockfiles'
import { yarnWorkspaceDirs } from '../../src/lockfiles/yarn-workspaces'
import { readFixture, sorted, useTempDirs } from './fixtures'

const temp = useTempDirs()

afterEach(() => {
  jest.restoreAllMocks()
})

/** A project with `package.json` files at `members` and the root `workspaces` field given. */
function project(workspaces: unknown, members: string[]): string {
  const dir = temp.make()
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'root', private: true, workspaces }))
  for (const member of members) {
    fs.mkdirSync(path.join(dir, member), { recursive: true })
    fs.writeFileSync(path.join(dir, member, 'package.json'), '{}')
  }
  return dir
}

describe('yarn 1 workspace members', () => {
  test('`*` and `?` patterns match directories that hold a package.json', () => {
    const dir = project(['packages/*', './tools/t?', 'apps/web/'], ['packages/a', 'packages/@s', 'tools/t1', 'tools/t22', 'apps/web'])
    fs.mkdirSync(path.join(dir, 'packages', 'no-manifest'))
    fs.mkdirSync(path.join(dir, 'packages', '.hidden'))
    expect(sorted(yarnWorkspaceDirs(dir) as string[])).toEqual(['.', 'apps/web', 'packages/@s', 'packages/a', 'tools/t1'])
  })

  test('`**` reaches any depth but never node_modules or dot-directories', () => {
    const dir = project({ packages: ['libs/**'], nohoist: ['**/x'] }, ['libs/a', 'libs/a/b/c', 'libs/node_modules/x', 'libs/.cache/y'])
    expect(sorted(yarnWorkspaceDirs(dir) as string[])).toEqual(['.', 'libs/a', 'libs/a/b/c'])
  })

  test('negations are ignored (they could only remove members)', () => {
    const dir = project(['packages/*', '!packages/b'], ['packages/a', 'packages/b'])
    expect(sorted(yarnWorkspaceDirs(dir) as string[])).toEqual(['.', 'packages/a', 'packages/b'])
  })

  test('no package.json or no workspaces: just the root', () => {
    expect(yarnWorkspaceDirs(temp.make())).toEqual(['.'])
    expect(yarnWorkspaceDirs(project(undefined, []))).toEqual(['.'])
  })

  test.each([
    ['a brace pattern', ['packages/{a,b}'], 'unsupported workspaces pattern'],
    ['a parent directory', ['../x/*'], 'unsupported workspaces pattern'],
    ['not a list', 'packages/*', 'malformed workspaces'],
  ])('%s is refused', (_label, workspaces, reason) => {
    expect(yarnWorkspaceDirs(project(workspaces, []))).toEqual({ error: expect.stringContaining(reason) })
  })

  test('an unreadable package.json or directory is an error', () => {
    const dir = temp.make()
    fs.writeFileSync(path.join(dir, 'package.json'), '{"workspaces": [')
    expect(yarnWorkspaceDirs(dir)).toEqual({ error: expect.stringContaining('invalid JSON') })
    const other = project(['packages/*'], ['packages/a'])
    jest.spyOn(fs, 'readdirSync').mockImplementation(() => { throw Object.assign(new Error('EACCES'), { code: 'EACCES' }) })
    expect(yarnWorkspaceDirs(other)).toEqual({ error: expect.stringContaining('EACCES') })
  })

  test('readLockfile adds the members to a yarn 1 lockfile, and fails closed when they cannot be listed', () => {
    const dir = project(['packages/*'], ['packages/a'])
    fs.writeFileSync(path.join(dir, 'yarn.lock'), readFixture('yarn-1.22.22-workspace/yarn.lock'))
    expect(readLockfile(path.join(dir, 'yarn.lock'))).toMatchObject({ ok: true, importerDirs: ['.', 'packages/a'] })
    fs.writeFileSync(path.join(dir, 'package.json'), '{')
    expect(readLockfile(path.join(dir, 'yarn.lock'))).toMatchObject({ ok: false, kind: 'yarn' })
  })
})
