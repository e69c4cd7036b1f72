import fs from 'node:fs'
import path from 'node:path'

import { kindFromFileName, lockfilesIn, readLockfile } from '../../src/lockfiles'
import { CASES, FIXTURES, sorted } from './fixtures'

describe('lockfiles written by the real tools', () => {
  test.each(CASES)('$file', ({ file, names, importerDirs }) => {
    const read = readLockfile(path.join(FIXTURES, file))
    expect(read).toMatchObject({ ok: true, kind: kindFromFileName(file) })
    if (!read.ok) return
    expect(sorted(read.names)).toEqual(sorted(names))
    expect(sorted(read.importerDirs)).toEqual(sorted(importerDirs))
    expect(read.importerDirs[0]).toBe('.')
  })

  test('every fixture lockfile has an expectation', () => {
    const covered = new Set(CASES.map((c) => c.file))
    const found: string[] = []
    for (const dir of fs.readdirSync(FIXTURES)) {
      for (const file of lockfilesIn(path.join(FIXTURES, dir))) found.push(path.relative(FIXTURES, file))
      const hidden = path.join(dir, 'node_modules_', '.package-lock.json')
      if (fs.existsSync(path.join(FIXTURES, hidden))) found.push(hidden)
    }
    expect(found.filter((file) => !covered.has(file) && !file.endsWith('bun.lockb'))).toEqual([])
  })

  test('bun.lockb written by bun is refused, not read as empty', () => {
    const read = readLockfile(path.join(FIXTURES, 'bun-1.4.5-lockb', 'bun.lockb'))
    expect(read).toMatchObject({ ok: false, kind: 'bun' })
    expect(!read.ok && read.reason).toContain('binary bun.lockb is not readable; run bun with text lockfile')
  })

  test('aliases give both names: the alias and the real package', () => {
    for (const file of ['pnpm-12.21.0/pnpm-lock.yaml', 'npm-11.19.1/package-lock.json', 'npm-11.19.1-lockfile-v1/package-lock.json',
      'yarn-1.22.22/yarn.lock', 'yarn-4.18.1/yarn.lock', 'bun-1.4.5/bun.lock', 'pnpm-12.21.0-v13/pnpm-lock.yaml']) {
      const read = readLockfile(path.join(FIXTURES, file))
      expect(read.ok && read.names.has('my-odd') && read.names.has('is-odd')).toBe(true)
    }
  })
})
