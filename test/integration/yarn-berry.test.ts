import fs from 'node:fs'
import path from 'node:path'
import { unwire, wire, YARN_PLUGIN_PATH, yarnFlavor } from '../../src/integration/yarn-berry'
import { composeYarnPlugin } from '../../src/integration/yarn-plugin-file'
import { listTree, removeTempDirs, tempDir } from '../helpers/tmp'

afterEach(() => removeTempDirs())

/** A project, and a stand-in for the package (its package.json and the two bundles the plugin is composed from). */
function setup(rc?: string): { dir: string; distDir: string } {
  const dir = tempDir()
  const pkg = tempDir()
  const distDir = path.join(pkg, 'dist')
  fs.mkdirSync(distDir)
  fs.writeFileSync(path.join(pkg, 'package.json'), '{ "name": "pnpm-plugin-scratch", "version": "1.0.0" }\n')
  fs.writeFileSync(path.join(distDir, 'gc.cjs'), 'exports.yarnHooks = { afterAllInstalled() {} }\n')
  fs.writeFileSync(path.join(distDir, 'yaml.cjs'), 'exports.parse = () => null\n')
  fs.writeFileSync(path.join(distDir, 'index.cjs'), 'exports.runtime = true\n')
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "app" }\n')
  if (rc !== undefined) fs.writeFileSync(path.join(dir, '.yarnrc.yml'), rc)
  return { dir, distDir }
}

const rcOf = (dir: string): string => fs.readFileSync(path.join(dir, '.yarnrc.yml'), 'utf8')

test('wire writes the composed plugin into .yarn/plugins and lists it in a new .yarnrc.yml; a second run changes nothing', () => {
  const { dir, distDir } = setup()
  const changes = wire(dir, { distDir })
  expect(changes.map((c) => [path.relative(dir, c.file), c.field])).toEqual([[path.join('.yarn', 'plugins', 'pnpm-plugin-scratch.cjs'), '(file)'], ['.yarnrc.yml', 'plugins']])
  expect(changes[0]).toMatchObject({ before: null, after: 'the yarn plugin of pnpm-plugin-scratch 1.0.0' })
  expect(fs.readFileSync(path.join(dir, YARN_PLUGIN_PATH), 'utf8')).toBe(composeYarnPlugin({ distDir }).text)
  expect(rcOf(dir)).toBe(`plugins:\n  - path: ${YARN_PLUGIN_PATH}\n`)
  expect(wire(dir, { distDir })).toEqual([])
})

test('wire keeps other settings, comments and plugins, and appends to an existing list; unwire restores the file', () => {
  const rc = '# team settings\nnodeLinker: node-modules\nplugins:\n  - path: .yarn/plugins/@yarnpkg/plugin-foo.cjs\n    spec: "@yarnpkg/plugin-foo"\n'
  const { dir, distDir } = setup(rc)
  wire(dir, { distDir })
  expect(rcOf(dir)).toContain('# team settings')
  expect(rcOf(dir)).toContain('nodeLinker: node-modules')
  expect(rcOf(dir)).toContain('plugin-foo.cjs')
  expect(rcOf(dir)).toContain(`- path: ${YARN_PLUGIN_PATH}`)
  const undone = unwire(dir)
  expect(undone.map((c) => c.field)).toEqual(['plugins', '(file)'])
  expect(rcOf(dir)).toBe(rc)
  expect(fs.existsSync(path.join(dir, '.yarn', 'plugins'))).toBe(false)
})

test('an updated package replaces an older copy of the plugin, and says which version it replaces', () => {
  const { dir, distDir } = setup()
  wire(dir, { distDir })
  fs.writeFileSync(path.join(distDir, '..', 'package.json'), '{ "name": "pnpm-plugin-scratch", "version": "1.1.0" }\n')
  fs.appendFileSync(path.join(distDir, 'gc.cjs'), '// newer\n')
  const changes = wire(dir, { distDir })
  expect(changes).toEqual([expect.objectContaining({ field: '(file)', before: 'the yarn plugin of pnpm-plugin-scratch 1.0.0', after: 'the yarn plugin of pnpm-plugin-scratch 1.1.0' })])
  expect(fs.readFileSync(path.join(dir, YARN_PLUGIN_PATH), 'utf8')).toContain('// newer')
  expect(wire(dir, { distDir })).toEqual([])
})

test('an edited copy, or a file init did not compose, is replaced and named as such', () => {
  const { dir, distDir } = setup()
  wire(dir, { distDir })
  const file = path.join(dir, YARN_PLUGIN_PATH)
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('pnpm-plugin-scratch: warning', 'edited: warning'))
  expect(wire(dir, { distDir })).toEqual([expect.objectContaining({ before: 'an edited copy of the yarn plugin of pnpm-plugin-scratch 1.0.0' })])
  fs.writeFileSync(file, '/* pnpm-plugin-scratch 0.1.0: yarn plugin. */\nmodule.exports = {}\n')
  expect(wire(dir, { distDir })).toEqual([expect.objectContaining({ before: 'an older copy of the plugin' })])
  expect(fs.readFileSync(file, 'utf8')).toBe(composeYarnPlugin({ distDir }).text)
})

test('unwire of a project wire created from nothing leaves nothing behind; unwire of an unwired project changes nothing', () => {
  const { dir, distDir } = setup()
  const before = listTree(dir)
  wire(dir, { distDir })
  unwire(dir)
  expect(listTree(dir)).toEqual(before)
  expect(unwire(dir)).toEqual([])
})

test('unwire keeps .yarn when yarn keeps other things there, and an entry written as a bare path is ours too', () => {
  const { dir } = setup(`plugins:\n  - ./${YARN_PLUGIN_PATH}\nenableTelemetry: false\n`)
  fs.mkdirSync(path.join(dir, '.yarn', 'plugins'), { recursive: true })
  fs.mkdirSync(path.join(dir, '.yarn', 'releases'))
  fs.writeFileSync(path.join(dir, YARN_PLUGIN_PATH), '')
  expect(unwire(dir).length).toBe(2)
  expect(rcOf(dir)).toBe('enableTelemetry: false\n')
  expect(listTree(dir)).toEqual(['.yarn/', '.yarn/releases/', '.yarnrc.yml', 'package.json'])
})

test('dry runs report the same changes and write nothing', () => {
  const { dir, distDir } = setup()
  const before = listTree(dir)
  expect(wire(dir, { distDir, dryRun: true }).length).toBe(2)
  expect(listTree(dir)).toEqual(before)
  wire(dir, { distDir })
  const wired = listTree(dir)
  expect(unwire(dir, { dryRun: true }).length).toBe(2)
  expect(listTree(dir)).toEqual(wired)
})

test('a .yarnrc.yml that is not YAML is a usage error naming it, and nothing is written', () => {
  const { dir, distDir } = setup('plugins: [unclosed\n')
  expect(() => wire(dir, { distDir })).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_USAGE', message: expect.stringContaining('.yarnrc.yml') }))
  expect(fs.existsSync(path.join(dir, '.yarn'))).toBe(false)
})

test('a missing bundle is ERR_SCRATCH_NOT_FOUND naming the file, and nothing is written', () => {
  const { dir, distDir } = setup()
  const before = listTree(dir)
  fs.rmSync(path.join(distDir, 'yaml.cjs'))
  expect(() => wire(dir, { distDir })).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_NOT_FOUND', message: expect.stringContaining(path.join(distDir, 'yaml.cjs')) }))
  expect(listTree(dir)).toEqual(before)
})

test.each([
  ['yarn@4.18.1', null, 'berry'],
  ['yarn@1.22.22', null, 'classic'],
  [undefined, '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n', 'classic'],
  [undefined, '# This file is generated by running "yarn install"\n\n__metadata:\n  version: 8\n', 'berry'],
  [undefined, null, 'berry'],
])('yarnFlavor(packageManager %p, yarn.lock %p) is %p', (field, lock, flavor) => {
  const dir = tempDir()
  if (lock !== null) fs.writeFileSync(path.join(dir, 'yarn.lock'), lock)
  expect(yarnFlavor(dir, field)).toBe(flavor)
})

test('yarnFlavor: with no lockfile, a .yarnrc (yarn 1) says classic and a .yarnrc.yml says berry', () => {
  const dir = tempDir()
  fs.writeFileSync(path.join(dir, '.yarnrc'), 'registry "x"\n')
  expect(yarnFlavor(dir, undefined)).toBe('classic')
  fs.writeFileSync(path.join(dir, '.yarnrc.yml'), '')
  expect(yarnFlavor(dir, undefined)).toBe('berry')
})

test('an empty plugins key gets the list; a plugins value that is not a list is a usage error', () => {
  const empty = setup('plugins:\nnodeLinker: pnp\n')
  wire(empty.dir, { distDir: empty.distDir })
  expect(rcOf(empty.dir)).toContain(`plugins:\n  - path: ${YARN_PLUGIN_PATH}`)
  expect(rcOf(empty.dir)).toContain('nodeLinker: pnp')
  const scalar = setup('plugins: yes\n')
  expect(() => wire(scalar.dir, { distDir: scalar.distDir })).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_USAGE', message: expect.stringContaining('"plugins" is not a list') }))
})

test('wire and unwire need nothing of yaml but parseDocument (the package bundles only the parsing half)', () => {
  jest.isolateModules(() => {
    jest.doMock('yaml', () => ({ parseDocument: (jest.requireActual('yaml') as typeof import('yaml')).parseDocument }))
    const isolated = require('../../src/integration/yarn-berry') as typeof import('../../src/integration/yarn-berry')
    const { dir, distDir } = setup('# keep\nplugins:\n  - path: .yarn/plugins/other.cjs\n')
    expect(isolated.wire(dir, { distDir }).length).toBe(2)
    expect(isolated.unwire(dir).length).toBe(2)
    expect(rcOf(dir)).toBe('# keep\nplugins:\n  - path: .yarn/plugins/other.cjs\n')
  })
})

test('the files wire writes into the project are readable by everyone who checks it out: new ones 0644 (less the umask), an existing .yarnrc.yml keeps its mode', () => {
  const previous = process.umask(0o022)
  try {
    const fresh = setup()
    wire(fresh.dir, { distDir: fresh.distDir })
    expect(fs.statSync(path.join(fresh.dir, ...YARN_PLUGIN_PATH.split('/'))).mode & 0o777).toBe(0o644)
    expect(fs.statSync(path.join(fresh.dir, '.yarnrc.yml')).mode & 0o777).toBe(0o644)
    const kept = setup('nodeLinker: node-modules\n')
    fs.chmodSync(path.join(kept.dir, '.yarnrc.yml'), 0o664)
    wire(kept.dir, { distDir: kept.distDir })
    expect(fs.statSync(path.join(kept.dir, '.yarnrc.yml')).mode & 0o777).toBe(0o664)
    unwire(kept.dir)
    expect(fs.statSync(path.join(kept.dir, '.yarnrc.yml')).mode & 0o777).toBe(0o664)
  } finally {
    process.umask(previous)
  }
})
