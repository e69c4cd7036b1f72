/** The project a caller runs in (SPEC §3 "Access tracking"), for the layouts npm and pnpm produce. */
import fs from 'node:fs'
import path from 'node:path'
import { getScratch } from '../../src'
import { builtRuntime } from '../helpers/dist'
import { runNode } from '../helpers/tmp'
import { readLog, useSandbox, writePackage } from './support'

const box = useSandbox()

/** `detectProject` from a fresh module registry: its per-process cache must not carry over. */
function detectProject(packageDir: string | undefined, cwd: string): string | null {
  let result: string | null = null
  jest.isolateModules(() => {
    const project = require('../../src/runtime/project') as typeof import('../../src/runtime/project')
    result = project.detectProject(packageDir, cwd)
  })
  return result
}

/** Creates `rel` under the temp dir (a package when it has a name), returning its absolute path. */
function make(rel: string, files: Record<string, string> = {}): string {
  const dir = path.join(box.tmp, rel)
  fs.mkdirSync(dir, { recursive: true })
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), content)
  }
  return dir
}

let elsewhere: string
beforeEach(() => { elsewhere = make('elsewhere') })

test.each([
  ['pnpm-lock.yaml'], ['package-lock.json'], ['npm-shrinkwrap.json'], ['yarn.lock'], ['bun.lock'], ['bun.lockb'], ['deno.lock'],
  ['node_modules/.package-lock.json'],
])('a pnpm layout with %s at the project root', (lockfile) => {
  const proj = make('proj', { [lockfile]: '' })
  const pkg = make('proj/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg')
  expect(detectProject(pkg, elsewhere)).toBe(proj)
})

test('npm hoisted and nested layouts resolve to the directory of the outermost node_modules', () => {
  const proj = make('proj', { 'package-lock.json': '{}' })
  // A stray lockfile inside node_modules must not win over the project's.
  const a = make('proj/node_modules/a', { 'package-lock.json': '{}' })
  const b = make('proj/node_modules/a/node_modules/b')
  expect(detectProject(a, elsewhere)).toBe(proj)
  expect(detectProject(b, elsewhere)).toBe(proj)
  expect(detectProject(make('proj/node_modules/@s/c/lib'), elsewhere)).toBe(proj)
})

test('a Deno project (deno.lock) with node_modules resolves to its directory, not "outside any project"', () => {
  const proj = make('deno-app', { 'deno.json': '{}', 'deno.lock': '{"version":"5"}' })
  expect(detectProject(make('deno-app/node_modules/.deno/is-odd@3.0.1/node_modules/is-odd'), elsewhere)).toBe(proj)
  expect(detectProject(undefined, make('deno-app/src'))).toBe(proj)
})

test('a workspace member resolves to the workspace root with the lockfile', () => {
  const ws = make('ws', { 'pnpm-lock.yaml': '', 'pnpm-workspace.yaml': 'packages: [packages/*]\n' })
  expect(detectProject(make('ws/packages/a'), elsewhere)).toBe(ws)
  expect(detectProject(make('ws/packages/a/node_modules/dep'), elsewhere)).toBe(ws)
})

test('a package in its own project (not installed) resolves to its own directory', () => {
  const own = make('own', { 'package-lock.json': '{}' })
  expect(detectProject(make('own/src'), elsewhere)).toBe(own)
})

test('a global prefix has no lockfile: the cwd project is used, else none', () => {
  const pkg = make('prefix/lib/node_modules/pkg', { 'package-lock.json': '{}' })
  const cwdProject = make('cwd-proj', { 'yarn.lock': '' })
  expect(detectProject(pkg, make('cwd-proj/sub/dir'))).toBe(cwdProject)
  expect(detectProject(pkg, elsewhere)).toBeNull()
  expect(detectProject(undefined, elsewhere)).toBeNull()
})

test('an npx cache directory is a project of its own', () => {
  const npx = make('home/.npm/_npx/0123abcd', { 'package-lock.json': '{}' })
  expect(detectProject(make('home/.npm/_npx/0123abcd/node_modules/pkg'), elsewhere)).toBe(npx)
  expect(detectProject(make('home/.npm/_npx/0123abcd/node_modules/pkg/node_modules/dep/bin'), elsewhere)).toBe(npx)
})

test('a symlinked package directory is resolved to its real path first', () => {
  make('proj-a', { 'package-lock.json': '{}' })
  const projB = make('proj-b', { 'pnpm-lock.yaml': '' })
  const real = make('proj-b/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg')
  const link = path.join(box.tmp, 'proj-a', 'node_modules', 'pkg')
  fs.mkdirSync(path.dirname(link), { recursive: true })
  fs.symlinkSync(real, link, 'dir')
  expect(detectProject(link, elsewhere)).toBe(projB)
})

test('the access record of a caller installed in a pnpm project names that project', () => {
  const proj = make('proj', { 'pnpm-lock.yaml': '' })
  const pkg = writePackage(make('proj/node_modules/.pnpm/user@1.0.0/node_modules/user'), { name: 'user', version: '1.0.0' })
  fs.symlinkSync(pkg, path.join(proj, 'node_modules', 'user'), 'dir')
  getScratch('k', path.join(proj, 'node_modules', 'user', 'index.js'))
  expect(readLog(box.store).records.map((r) => [r.caller, r.project])).toEqual([['user', proj]])
})

test('a caller given by name only is attributed to the project of the cwd, or to none', async () => {
  const { cjs } = builtRuntime()
  const proj = make('cwd-proj', { 'package-lock.json': '{}' })
  const script = `require(${JSON.stringify(cjs)}).getScratch('k', { name: 'by-name-only' })`
  const env = { SCRATCHSPACE_DIR: box.store }
  expect(await runNode(script, { cwd: make('cwd-proj/src'), env })).toMatchObject({ code: 0, stderr: '' })
  expect(await runNode(script, { cwd: elsewhere, env })).toMatchObject({ code: 0, stderr: '' })
  expect(readLog(box.store).records.map((r) => [r.caller, r.project])).toEqual([['by-name-only', proj], ['by-name-only', null]])
})
