import fs from 'node:fs'
import path from 'node:path'

import { kindFromFileName, LOCKFILE_FILES, lockfilesIn, parseLockfile, readLockfile } from '../../src/lockfiles'
import { FIXTURES, readFixture, sorted, useTempDirs } from './fixtures'

const temp = useTempDirs()

afterEach(() => {
  jest.restoreAllMocks()
})

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code })
}

describe('LOCKFILE_FILES and kinds', () => {
  test('SPEC §3 order', () => {
    expect(LOCKFILE_FILES).toEqual(['pnpm-lock.yaml', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'bun.lock', 'bun.lockb', 'deno.lock', 'node_modules/.package-lock.json'])
  })

  test('every marker has a kind', () => {
    expect(LOCKFILE_FILES.map(kindFromFileName)).toEqual(['pnpm', 'npm', 'npm', 'yarn', 'bun', 'bun', 'deno', 'npm-hidden'])
    expect(kindFromFileName('/x/package.json')).toBeNull()
  })
})

describe('lockfilesIn', () => {
  test('absolute paths of the lockfiles present, in LOCKFILE_FILES order', () => {
    const dir = temp.make()
    for (const name of [...LOCKFILE_FILES].reverse()) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
      fs.writeFileSync(path.join(dir, name), '')
    }
    fs.writeFileSync(path.join(dir, 'package.json'), '{}')
    expect(lockfilesIn(dir)).toEqual(LOCKFILE_FILES.map((name) => path.join(dir, name)))
  })

  test('node_modules without a hidden lockfile, and a relative path', () => {
    const dir = temp.make()
    fs.mkdirSync(path.join(dir, 'node_modules'))
    fs.writeFileSync(path.join(dir, 'yarn.lock'), '')
    expect(lockfilesIn(path.relative(process.cwd(), dir))).toEqual([path.join(dir, 'yarn.lock')])
  })

  test('a lockfile that is a directory or a dangling symlink is still listed (reading it fails)', () => {
    const dir = temp.make()
    fs.mkdirSync(path.join(dir, 'pnpm-lock.yaml'))
    fs.symlinkSync(path.join(dir, 'missing'), path.join(dir, 'yarn.lock'))
    expect(lockfilesIn(dir)).toEqual([path.join(dir, 'pnpm-lock.yaml'), path.join(dir, 'yarn.lock')])
  })

  test('a missing directory, or a file, has none', () => {
    const dir = temp.make()
    fs.writeFileSync(path.join(dir, 'file'), '')
    expect(lockfilesIn(path.join(dir, 'gone'))).toEqual([])
    expect(lockfilesIn(path.join(dir, 'file'))).toEqual([])
  })

  test('other errors are thrown', () => {
    const dir = temp.make()
    jest.spyOn(fs, 'readdirSync').mockImplementation(() => { throw errnoError('EACCES') })
    expect(() => lockfilesIn(dir)).toThrow(expect.objectContaining({ code: 'EACCES' }))
  })
})

describe('readLockfile', () => {
  test('reads by file name', () => {
    const read = readLockfile(path.join(FIXTURES, 'npm-11.19.1-workspace', 'node_modules_', '.package-lock.json'))
    expect(read).toMatchObject({ ok: true, kind: 'npm-hidden' })
  })

  test.each([
    ['ENOENT', (dir: string) => path.join(dir, 'pnpm-lock.yaml')],
    ['ENOTDIR', (dir: string) => { fs.writeFileSync(path.join(dir, 'node_modules'), ''); return path.join(dir, 'node_modules', '.package-lock.json') }],
  ])('%s → ok:false naming the path and the errno', (code, make) => {
    const file = make(temp.make())
    const read = readLockfile(file)
    expect(read).toMatchObject({ ok: false, kind: kindFromFileName(file) })
    expect(!read.ok && read.reason).toBe(`${file}: cannot read: ${code}`)
  })

  test('a directory → ok:false without reading it', () => {
    const file = path.join(temp.make(), 'yarn.lock')
    fs.mkdirSync(file)
    expect(readLockfile(file)).toEqual({ ok: false, kind: 'yarn', reason: `${file}: not a regular file (a directory); not read` })
  })

  test('EACCES (injected: tests run as root) → ok:false', () => {
    const file = path.join(temp.make(), 'package-lock.json')
    fs.writeFileSync(file, readFixture('npm-11.19.1/package-lock.json'))
    jest.spyOn(fs, 'openSync').mockImplementation(() => { throw errnoError('EACCES') })
    expect(readLockfile(file)).toEqual({ ok: false, kind: 'npm', reason: `${file}: cannot read: EACCES` })
  })

  test('errors that are not system errors propagate', () => {
    jest.spyOn(fs, 'openSync').mockImplementation(() => { throw new TypeError('bug') })
    expect(() => readLockfile('/x/pnpm-lock.yaml')).toThrow(TypeError)
  })

  test('bun.lockb is refused without being read', () => {
    const spy = jest.spyOn(fs, 'openSync')
    const read = readLockfile('/nowhere/bun.lockb')
    expect(read).toEqual({ ok: false, kind: 'bun', reason: '/nowhere/bun.lockb: binary bun.lockb is not readable; run bun with text lockfile' })
    expect(spy).not.toHaveBeenCalled()
  })

  test('a name that is not a lockfile → kind null', () => {
    expect(readLockfile('/x/package.json')).toEqual({ ok: false, kind: null, reason: '/x/package.json: not a lockfile name' })
  })

  test('parse failures name the path too', () => {
    const file = path.join(temp.make(), 'pnpm-lock.yaml')
    fs.writeFileSync(file, "lockfileVersion: '5.4'\n")
    expect(readLockfile(file)).toEqual({ ok: false, kind: 'pnpm', reason: `${file}: unsupported lockfileVersion 5.4` })
  })
})

describe('parseLockfile', () => {
  test('a byte order mark is ignored', () => {
    for (const [kind, file] of [['pnpm', 'pnpm-10.34.9/pnpm-lock.yaml'], ['npm', 'npm-11.19.1/package-lock.json'], ['bun', 'bun-1.4.5/bun.lock'], ['yarn', 'yarn-1.22.22/yarn.lock']] as const) {
      const text = readFixture(file)
      const plain = parseLockfile(kind, text)
      const bom = parseLockfile(kind, `\ufeff${text}`)
      expect(bom.ok && plain.ok && sorted(bom.names)).toEqual(plain.ok && sorted(plain.names))
    }
  })

  test('a lockfile read as the wrong kind fails', () => {
    expect(parseLockfile('npm', readFixture('pnpm-10.34.9/pnpm-lock.yaml'))).toMatchObject({ ok: false, kind: 'npm' })
    expect(parseLockfile('pnpm', readFixture('npm-11.19.1/package-lock.json'))).toMatchObject({ ok: false, kind: 'pnpm' })
    expect(parseLockfile('yarn', readFixture('bun-1.4.5/bun.lock'))).toMatchObject({ ok: false, kind: 'yarn' })
    expect(parseLockfile('bun', readFixture('yarn-4.18.1/yarn.lock'))).toMatchObject({ ok: false, kind: 'bun' })
  })
})
