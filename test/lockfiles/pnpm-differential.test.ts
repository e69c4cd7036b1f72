import fs from 'node:fs'
import path from 'node:path'

import { readWantedLockfile } from '@pnpm/lockfile.fs'
import * as yaml from 'yaml'

import { parsePnpmLockfile, parsePnpmLockfileFast, parsePnpmLockfileSlow } from '../../src/lockfiles/pnpm'
import { FIXTURES, PNPM_V9_DIRS, readFixture, sorted, useTempDirs } from './fixtures'
import { syntheticPnpmLockfile } from './synthetic-pnpm'

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const

/**
 * The reference: names derived from pnpm's own reader, with the same rules written out
 * independently: `Object.keys(packages)` (snapshots merged in) and importer dependency keys, a
 * name being the key up to the first `@` after position 0, plus the real name of an alias
 * (an importer version `realname@version`).
 */
async function referenceNames(dir: string): Promise<string[]> {
  const lockfile = await readWantedLockfile(dir, { ignoreIncompatible: false })
  if (lockfile === null) throw new Error(`no lockfile in ${dir}`)
  const nameOf = (key: string): string => key.slice(0, key.indexOf('@', 1))
  const names = new Set(Object.keys(lockfile.packages ?? {}).map(nameOf))
  for (const importer of Object.values(lockfile.importers)) {
    for (const field of DEP_FIELDS) {
      for (const [alias, version] of Object.entries(importer[field] ?? {})) {
        names.add(alias)
        const at = version.indexOf('@', 1)
        if (at !== -1 && !/^[0-9]|^(link|file):/.test(version)) names.add(version.slice(0, at))
      }
    }
  }
  // Config dependencies (the documents before the main one, which readWantedLockfile skips) are
  // installed names too: their package keys, read with `yaml`.
  const docs = yaml.parseAllDocuments(fs.readFileSync(path.join(dir, 'pnpm-lock.yaml'), 'utf8'))
  for (const doc of docs.slice(0, -1)) {
    for (const key of Object.keys((doc.toJS() as { packages?: object }).packages ?? {})) names.add(nameOf(key))
  }
  return sorted(names)
}

function namesOf(result: ReturnType<typeof parsePnpmLockfile> | null): string[] {
  if (result === null) throw new Error('the fast path fell back to the YAML parser')
  if (!result.ok) throw new Error(result.reason)
  return sorted(result.names)
}

describe('pnpm v9 reader vs @pnpm/lockfile.fs', () => {
  const temp = useTempDirs()

  test.each(PNPM_V9_DIRS)('%s: same names as readWantedLockfile', async (dir) => {
    const text = readFixture(`${dir}/pnpm-lock.yaml`)
    expect(namesOf(parsePnpmLockfile(text))).toEqual(await referenceNames(path.join(FIXTURES, dir)))
  })

  test.each(PNPM_V9_DIRS)('%s: the fast path reads it and agrees with the YAML path', (dir) => {
    const text = readFixture(`${dir}/pnpm-lock.yaml`)
    const fast = parsePnpmLockfileFast(text)
    const slow = parsePnpmLockfileSlow(text)
    expect(namesOf(fast)).toEqual(namesOf(slow))
    expect(fast?.ok && fast.importerDirs).toEqual(slow.ok && slow.importerDirs)
  })

  test('a synthetic ~1,000-package workspace lockfile: fast path = YAML path = readWantedLockfile', async () => {
    const dir = temp.make()
    const text = syntheticPnpmLockfile(1000)
    fs.writeFileSync(path.join(dir, 'pnpm-lock.yaml'), text)
    const reference = await referenceNames(dir)
    expect(reference.length).toBeGreaterThan(800)
    expect(reference).toEqual(expect.arrayContaining(['@scope3/pkg-3', '@alias/scoped', 'my-alias', 'lib', 'linked-outside', 'local-thing', 'react']))
    const fast = parsePnpmLockfileFast(text)
    expect(namesOf(fast)).toEqual(reference)
    expect(namesOf(parsePnpmLockfileSlow(text))).toEqual(reference)
    expect(fast?.ok && fast.importerDirs).toEqual(['.', 'packages/app', 'packages/lib'])
  })

  test.each([1, 2, 3])('synthetic lockfiles of other shapes (seed %i) agree too', async (seed) => {
    const dir = temp.make()
    const text = syntheticPnpmLockfile(150 * seed, seed)
    fs.writeFileSync(path.join(dir, 'pnpm-lock.yaml'), text)
    const reference = await referenceNames(dir)
    expect(namesOf(parsePnpmLockfileFast(text))).toEqual(reference)
    expect(namesOf(parsePnpmLockfileSlow(text))).toEqual(reference)
  })
})
