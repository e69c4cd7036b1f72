import fs from 'node:fs'
import path from 'node:path'
import { BUN_GC_SCRIPT } from '../../src/integration/bun'
import * as bun from '../../src/integration/bun'
import { DENO_GC_COMMAND } from '../../src/integration/deno'
import { initProject } from '../../src/integration/init'
import { undoOtherManagers } from '../../src/integration/other-managers'
import { YARN_CLASSIC_GC_COMMAND } from '../../src/integration/yarn-classic'
import { YARN_PLUGIN_PATH } from '../../src/integration/yarn-berry'
import { builtRuntime } from '../helpers/dist'
import { listTree, removeTempDirs, tempDir } from '../helpers/tmp'

// init composes the yarn plugin from dist/gc.cjs and dist/yaml.cjs for yarn berry projects.
beforeAll(() => builtRuntime(), 180_000)

afterEach(() => removeTempDirs())

function project(files: Record<string, string>): string {
  const dir = tempDir()
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text)
  return dir
}

const noAgent = { env: {} }
const manifestOf = (dir: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))

test('yarn berry (yarn.lock with __metadata): init copies the plugin and lists it; undo removes both', () => {
  const dir = project({ 'package.json': '{"name":"app"}\n', 'yarn.lock': '__metadata:\n  version: 8\n' })
  const before = listTree(dir)
  const result = initProject(dir, noAgent)
  expect(result).toMatchObject({ packageManager: 'yarn', detectedFrom: 'yarn.lock' })
  expect(result.changes.map((c) => c.field)).toEqual(['(file)', 'plugins'])
  expect(result.notes.join(' ')).toMatch(/afterAllInstalled|yarn remove/)
  expect(fs.existsSync(path.join(dir, YARN_PLUGIN_PATH))).toBe(true)
  expect(initProject(dir, noAgent)).toMatchObject({ changes: [], unchanged: [expect.stringContaining('up to date')] })
  expect(undoOtherManagers(dir).length).toBe(2)
  expect(listTree(dir)).toEqual(before)
})

test('yarn berry from the packageManager field alone, before any install', () => {
  const dir = project({ 'package.json': '{"name":"app","packageManager":"yarn@4.18.1"}\n' })
  expect(initProject(dir, noAgent).changes.length).toBe(2)
})

test('yarn classic: nothing changes, the notes name the command to run', () => {
  const dir = project({ 'package.json': '{"name":"app","packageManager":"yarn@1.22.22"}\n', 'yarn.lock': '# yarn lockfile v1\n' })
  const before = listTree(dir)
  const result = initProject(dir, noAgent)
  expect(result).toMatchObject({ packageManager: 'yarn', changes: [] })
  expect(result.notes.join('\n')).toContain(YARN_CLASSIC_GC_COMMAND)
  expect(listTree(dir)).toEqual(before)
})

test('bun: init adds the postinstall sweep, chained after an existing script; undo restores the manifest byte for byte', () => {
  const text = '{\n\t"name": "app",\n\t"scripts": {\n\t\t"postinstall": "echo hi"\n\t}\n}\n'
  const dir = project({ 'package.json': text, 'bun.lock': '{}' })
  const result = initProject(dir, noAgent)
  expect(result).toMatchObject({ packageManager: 'bun', changes: [{ field: 'scripts.postinstall', before: 'echo hi', after: `echo hi && ${BUN_GC_SCRIPT}` }] })
  expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toContain('\t"scripts"')
  expect(initProject(dir, noAgent).changes).toEqual([])
  expect(undoOtherManagers(dir)).toEqual([expect.objectContaining({ field: 'scripts.postinstall', after: 'echo hi' })])
  expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(text)
})

test('bun: undo of a script init created removes the scripts field it added', () => {
  const text = '{\n  "name": "app"\n}\n'
  const dir = project({ 'package.json': text })
  bun.wire(dir)
  expect(manifestOf(dir).scripts).toEqual({ postinstall: BUN_GC_SCRIPT })
  bun.unwire(dir)
  expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(text)
})

test('bun: init warns when pnpm-plugin-scratch is not a dependency, and not when it is', () => {
  const without = project({ 'package.json': '{"name":"app"}', 'bun.lock': '{}' })
  expect(initProject(without, noAgent).warnings).toEqual([expect.stringContaining('bun add --dev pnpm-plugin-scratch')])
  const withIt = project({ 'package.json': '{"name":"app","devDependencies":{"pnpm-plugin-scratch":"^0.1.0"}}', 'bun.lock': '{}' })
  expect(initProject(withIt, noAgent).warnings).toEqual([])
})

test('bun dry run changes nothing', () => {
  const dir = project({ 'package.json': '{"name":"app"}', 'bun.lock': '{}' })
  expect(initProject(dir, { ...noAgent, dryRun: true }).changes.length).toBe(1)
  expect(manifestOf(dir).scripts).toBeUndefined()
})

test('the bun script is plain text for sh and cmd: one double-quoted program with nothing either shell expands', () => {
  const program = /^node -e "(.*)"$/.exec(BUN_GC_SCRIPT)?.[1]
  expect(program).toBeDefined()
  expect(program).not.toMatch(/["$`\\%!^]/)
})

test.each([
  [{ 'deno.json': '{}' }, 'deno.json'],
  [{ 'deno.lock': '{"version":"5"}' }, 'deno.lock'],
  [{ 'package.json': '{"name":"app"}', 'deno.jsonc': '{}' }, 'deno.jsonc'],
])('Deno (%p): nothing changes, the notes name `deno run -A npm:pnpm-plugin-scratch gc`', (files, from) => {
  const dir = project(files)
  const before = listTree(dir)
  const result = initProject(dir, noAgent)
  expect(result).toMatchObject({ packageManager: 'deno', detectedFrom: from, changes: [] })
  expect(result.notes.join('\n')).toContain(DENO_GC_COMMAND)
  expect(listTree(dir)).toEqual(before)
})

test('a Deno config beside an npm lockfile is an npm project', () => {
  const dir = project({ 'package.json': '{"name":"app"}', 'package-lock.json': '{}', 'deno.json': '{}' })
  expect(initProject(dir, noAgent).packageManager).toBe('npm')
})
