/**
 * What real projects contain must not fool the gc: each case is a project as the real tools
 * wrote it (test/fixtures/lockfiles, corpus/), with a space per package it installs, swept by a
 * full gc. Kept means kept; a project the gc cannot read fully is unknown and keeps its spaces.
 */
import fs from 'node:fs'
import path from 'node:path'

import { runGc } from '../../src/gc'
import { checkProject, NAMES_RULES } from '../../src/gc/projects'
import { makeSpace, recordUse } from '../gc/support'
import { useSandbox } from '../runtime/support'
import { corpusEntries, writeProject } from './corpus'
import { FIXTURES } from './fixtures'

const box = useSandbox()
const BOM = '\uFEFF'

/** Copies fixture `name` to `<tmp>/<name>`, `node_modules_` (kept installed manifests) as `node_modules`. */
function fixtureProject(name: string): string {
  const dir = path.join(box.tmp, name)
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true })
  if (fs.existsSync(path.join(dir, 'node_modules_'))) fs.renameSync(path.join(dir, 'node_modules_'), path.join(dir, 'node_modules'))
  return dir
}

function addBom(file: string): void {
  const text = fs.readFileSync(file, 'utf8')
  fs.writeFileSync(file, text.startsWith(BOM) ? text : BOM + text)
}

/** A space per owner, used from `project`; then a full gc. */
async function gcWithSpaces(project: string, owners: string[]): Promise<{ status: string | undefined; reason: string | undefined; kept: string[]; deleted: string[] }> {
  for (const owner of owners) {
    makeSpace(box.store, owner, 'cache')
    recordUse(box.store, { owner, key: 'cache' }, project)
  }
  const report = await runGc()
  const state = report.projects.find((p) => p.dir === project)
  const kept = report.spaces.filter((s) => s.action === 'keep').map((s) => s.owner!).sort()
  const deleted = report.spaces.filter((s) => s.action === 'deleted').map((s) => s.owner!).sort()
  return { status: state?.status, reason: state?.reason, kept, deleted }
}

describe('package.json files that start with a UTF-8 BOM', () => {
  test.each(['pnpm-10.34.9-shapes', 'pnpm-12.21.0-shapes'])('%s: a BOM\'d root and workspace member keep their names', async (fixture) => {
    const dir = fixtureProject(fixture)
    addBom(path.join(dir, 'package.json'))
    expect(fs.readFileSync(path.join(dir, 'packages/member/package.json'), 'utf8').startsWith(BOM)).toBe(true) // as the fixture was given to pnpm
    const result = await gcWithSpaces(dir, ['shapes-root', 'ws-member', 'is-even', 'not-installed'])
    expect(result).toEqual({ status: 'present', reason: undefined, kept: ['is-even', 'shapes-root', 'ws-member'], deleted: ['not-installed'] })
  })

  test('yarn 1: a BOM\'d root package.json (with workspaces) is read, not "invalid JSON"', async () => {
    const dir = fixtureProject('yarn-1.22.22-shapes')
    addBom(path.join(dir, 'package.json'))
    const result = await gcWithSpaces(dir, ['yshapes-root', 'ws-member', 'is-odd', 'not-installed'])
    expect(result).toEqual({ status: 'present', reason: undefined, kept: ['is-odd', 'ws-member', 'yshapes-root'], deleted: ['not-installed'] })
  })

  test('a workspace member manifest that cannot be read makes the project unknown: its name is never dropped', async () => {
    const dir = fixtureProject('pnpm-12.21.0-shapes')
    fs.writeFileSync(path.join(dir, 'packages/member/package.json'), '{"name": "ws-member",')
    const result = await gcWithSpaces(dir, ['ws-member'])
    expect(result.status).toBe('unknown')
    expect(result.reason).toContain('packages/member/package.json: invalid JSON')
    expect(result.kept).toEqual(['ws-member'])
  })
})

describe('names cached under older rules', () => {
  test('an entry without the current rules stamp is read again, although its lockfile did not change', () => {
    const dir = fixtureProject('pnpm-12.21.0-shapes')
    const lockfile = path.join(dir, 'pnpm-lock.yaml')
    const stat = fs.statSync(lockfile)
    // What an older version cached: the same lockfile stamp, names without the BOM'd member's.
    const old = { names: ['is-odd'], lockfiles: [{ path: lockfile, size: stat.size, mtimeMs: stat.mtimeMs }], checkedAt: new Date().toISOString(), source: 'access' as const }
    const state = checkProject(dir, old, Date.now())
    expect(state.names).toEqual(expect.arrayContaining(['ws-member', 'shapes-root', 'is-even']))
    expect(state.entry?.lockfiles).toEqual([...old.lockfiles, NAMES_RULES])
    // Cached under the current rules: not read again.
    expect(checkProject(dir, { ...old, lockfiles: state.entry!.lockfiles }, Date.now()).names).toEqual(['is-odd'])
  })
})

describe('importer entries that are not registry packages', () => {
  test('pnpm\'s own repository: node runtime:… from devEngines.runtime, catalogs, config dependencies — present', async () => {
    const entry = corpusEntries().find((e) => e.label === 'corpus/pnpm')!
    const dir = path.join(box.tmp, 'pnpm')
    writeProject(entry, dir)
    expect(entry.text).toContain('specifier: runtime:')
    expect(JSON.parse(entry.files['package.json']).devEngines.runtime.name).toBe('node')
    // `pnpm` is installed by the first document (packageManagerDependencies) only.
    const result = await gcWithSpaces(dir, ['node', 'pnpm', '@pnpm/exe.linux-x64', 'not-installed'])
    expect(result).toEqual({ status: 'present', reason: undefined, kept: ['@pnpm/exe.linux-x64', 'node', 'pnpm'], deleted: ['not-installed'] })
  })

  test.each(['pnpm-10.34.9-shapes', 'pnpm-12.21.0-shapes'])('%s: catalog:, workspace:, link:, file: and a patched dependency — present', async (fixture) => {
    const dir = fixtureProject(fixture)
    const result = await gcWithSpaces(dir, ['is-odd', 'is-number', 'ws-member', 'linked-dep', 'local-dep', 'is-even', 'not-installed'])
    expect(result).toEqual({ status: 'present', reason: undefined, kept: ['is-even', 'is-number', 'is-odd', 'linked-dep', 'local-dep', 'ws-member'], deleted: ['not-installed'] })
  })
})

describe('yarn: optional peers and dependencies known only by alias', () => {
  test.each(['yarn-1.22.22-shapes', 'yarn-4.18.1-shapes'])('%s: an absent optional peer is fine; the tarball and file: aliases keep their real packages\' spaces', async (fixture) => {
    const dir = fixtureProject(fixture)
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/even-tar/package.json'), 'utf8')).name).toBe('is-even')
    const result = await gcWithSpaces(dir, ['is-even', 'real-local', 'is-odd', 'ws-member', 'not-installed'])
    expect(result).toEqual({ status: 'present', reason: undefined, kept: ['is-even', 'is-odd', 'real-local', 'ws-member'], deleted: ['not-installed'] })
  })

  test.each(['yarn-1.22.22-shapes', 'yarn-4.18.1-shapes'])('%s without node_modules: the real name of even-tar is unknown, so is the project, and is-even is kept', async (fixture) => {
    const dir = fixtureProject(fixture)
    fs.rmSync(path.join(dir, 'node_modules'), { recursive: true })
    const result = await gcWithSpaces(dir, ['is-even', 'not-installed'])
    expect(result.status).toBe('unknown')
    expect(result.reason).toContain('records even-tar only as "https://registry.npmjs.org/is-even/-/is-even-1.0.0.tgz"')
    expect(result.kept).toEqual(['is-even', 'not-installed'])
  })

  test('berry with PnP as yarn wrote it: the real name of even-tar is read from its cache zip, real-local from its directory', async () => {
    const dir = fixtureProject('yarn-4.18.1-shapes-pnp')
    expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false)
    const result = await gcWithSpaces(dir, ['is-even', 'real-local', 'is-odd', 'ws-member', 'not-installed'])
    expect(result).toEqual({ status: 'present', reason: undefined, kept: ['is-even', 'is-odd', 'real-local', 'ws-member'], deleted: ['not-installed'] })
  })

  test('berry with PnP and the zip gone from the cache: unknown, is-even kept', async () => {
    const dir = fixtureProject('yarn-4.18.1-shapes-pnp')
    fs.rmSync(path.join(dir, '.yarn', 'cache'), { recursive: true })
    const result = await gcWithSpaces(dir, ['is-even'])
    expect(result).toMatchObject({ status: 'unknown', kept: ['is-even'] })
  })

  test('berry with PnP: the unplugged package and the PnP data give the real name', async () => {
    const dir = fixtureProject('yarn-4.18.1-shapes')
    fs.rmSync(path.join(dir, 'node_modules'), { recursive: true })
    // Where yarn's PnP linker puts an unplugged package, and a directory the PnP data points at.
    const unplugged = path.join(dir, '.yarn/unplugged/even-tar-https-abc123/node_modules/even-tar')
    fs.mkdirSync(unplugged, { recursive: true })
    fs.writeFileSync(path.join(unplugged, 'package.json'), JSON.stringify({ name: 'is-even', version: '1.0.0' }))
    const state = { packageRegistryData: [['local-alias', [['file:./local-dep#./local-dep::hash=074558&locator=yshapes-root%40workspace%3A.', { packageLocation: './local-dep/', packageDependencies: [] }]]]] }
    fs.writeFileSync(path.join(dir, '.pnp.cjs'), `#!/usr/bin/env node\n/* eslint-disable */\n"use strict";\n\nconst RAW_RUNTIME_STATE =\n'${JSON.stringify(state).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}';\n`)
    const result = await gcWithSpaces(dir, ['is-even', 'real-local', 'not-installed'])
    expect(result).toEqual({ status: 'present', reason: undefined, kept: ['is-even', 'real-local'], deleted: ['not-installed'] })
  })
})
