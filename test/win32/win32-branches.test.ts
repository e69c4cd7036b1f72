/**
 * Every Windows-only branch of the package, reached on this machine by faking `process.platform`
 * (restored after each test) and, where Windows behaviour is an errno, by injecting it. What a
 * fake platform cannot give, `path.win32` semantics of the code that reads `path.sep`, is covered
 * where the code takes its inputs explicitly (resolveRoot, nativePath).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { nativePath } from '../../hooks/yarn-plugin'
import { safeEntryPath } from '../../src/archive/safety'
import { resolveRoot } from '../../src/runtime/root'
import { removeTempDirs, tempDir } from '../helpers/tmp'

const realPlatform = Object.getOwnPropertyDescriptor(process, 'platform') as PropertyDescriptor

function fakePlatform(platform: NodeJS.Platform): void {
  Object.defineProperty(process, 'platform', { ...realPlatform, value: platform })
}

afterEach(() => {
  Object.defineProperty(process, 'platform', realPlatform)
  jest.restoreAllMocks()
  removeTempDirs()
})

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code })
}

describe('store root (runtime/root)', () => {
  test('a process that reports win32 puts the default store under %LOCALAPPDATA%\\scratchspace\\Cache', () => {
    fakePlatform('win32')
    const saved = { ...process.env }
    try {
      delete process.env.SCRATCHSPACE_DIR
      process.env.LOCALAPPDATA = 'C:\\Users\\u\\AppData\\Local'
      jest.isolateModules(() => {
        const { currentRoot } = require('../../src/runtime/root') as typeof import('../../src/runtime/root')
        expect(currentRoot()).toBe('C:\\Users\\u\\AppData\\Local\\scratchspace\\Cache')
      })
    } finally {
      process.env = saved
    }
  })

  test('Windows paths follow path.win32: drive-relative overrides, UNC homes, forward slashes', () => {
    const win = (env: NodeJS.ProcessEnv, homedir = 'C:\\Users\\u', cwd = 'C:\\proj'): string => resolveRoot({ env, platform: 'win32', cwd, homedir })
    expect(win({ SCRATCHSPACE_DIR: 'D:/data/scratch' })).toBe('D:\\data\\scratch')
    expect(win({ SCRATCHSPACE_DIR: '..\\s' })).toBe('C:\\s')
    expect(win({}, '\\\\server\\share\\u')).toBe('\\\\server\\share\\u\\AppData\\Local\\scratchspace\\Cache')
    expect(path.win32.isAbsolute(win({ XDG_CACHE_HOME: '/xdg' }))).toBe(true)
    // XDG is a Linux/BSD convention only.
    expect(win({ XDG_CACHE_HOME: 'C:\\xdg' })).toBe('C:\\Users\\u\\AppData\\Local\\scratchspace\\Cache')
  })
})

describe('project detection (runtime/project)', () => {
  test('win32 resolves links with the JavaScript realpath (subst and network drives); elsewhere with the native call', () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, 'package-lock.json'), '{}')
    const calledFor = (spy: jest.SpyInstance): boolean => spy.mock.calls.some((args: unknown[]) => args[0] === dir)
    const detect = (): void => {
      jest.isolateModules(() => {
        const { detectProject } = require('../../src/runtime/project') as typeof import('../../src/runtime/project')
        expect(detectProject(dir, os.tmpdir())).toBe(dir)
      })
    }
    // Only calls for the package directory count: jest's own module loading uses realpath too.
    fakePlatform('win32')
    const native = jest.spyOn(fs.realpathSync, 'native')
    const js = jest.spyOn(fs, 'realpathSync')
    detect()
    expect([calledFor(js), calledFor(native)]).toEqual([true, false])
    jest.restoreAllMocks()
    fakePlatform('linux')
    const nativeOnLinux = jest.spyOn(fs.realpathSync, 'native')
    detect()
    expect(calledFor(nativeOnLinux)).toBe(true)
  })
})

describe('the store lock (store/lock)', () => {
  // Windows refuses a rename onto a directory that exists with EPERM where POSIX says ENOTEMPTY.
  function lockRenameFails(code: string): void {
    const rename = fs.renameSync
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (String(to).endsWith(`${path.sep}lock`)) throw errno(code)
      return rename(from, to)
    })
  }

  test('win32: EPERM from the lock rename means another process holds it: no lock, no error, no temp dir left', () => {
    const root = tempDir()
    fakePlatform('win32')
    lockRenameFails('EPERM')
    jest.isolateModules(() => {
      const { tryAcquireLock, lockPath } = require('../../src/store/lock') as typeof import('../../src/store/lock')
      expect(tryAcquireLock(root)).toBeNull()
      expect(fs.readdirSync(path.dirname(lockPath(root)))).toEqual([])
    })
  })

  test('elsewhere EPERM is a real failure and is thrown', () => {
    const root = tempDir()
    fakePlatform('linux')
    lockRenameFails('EPERM')
    jest.isolateModules(() => {
      const { tryAcquireLock } = require('../../src/store/lock') as typeof import('../../src/store/lock')
      expect(() => tryAcquireLock(root)).toThrow(expect.objectContaining({ code: 'EPERM' }))
    })
  })
})

describe('importing an archive over an existing space (archive/import)', () => {
  async function importOverExisting(platform: NodeJS.Platform): Promise<{ error: unknown; content: string }> {
    const root = tempDir()
    const saved = process.env.SCRATCHSPACE_DIR
    process.env.SCRATCHSPACE_DIR = root
    try {
      const api = require('../../src') as typeof import('../../src')
      const source = api.getScratch('src', { name: 'pkg-a' })
      fs.writeFileSync(path.join(source, 'f.txt'), 'new')
      const archive = path.join(tempDir(), 'a.tar.gz')
      await api.exportScratch('src', { name: 'pkg-a' }, archive)
      const target = api.getScratch('dst', { name: 'pkg-a' })
      fs.writeFileSync(path.join(target, 'f.txt'), 'old')
      fakePlatform(platform)
      // Windows refuses to rename onto the existing space with EPERM, once.
      const rename = fs.renameSync
      let refused = false
      jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
        if (!refused && to === target) { refused = true; throw errno('EPERM') }
        return rename(from, to)
      })
      let error: unknown = null
      await api.importScratch(archive, 'dst', { name: 'pkg-a' }).catch((err: unknown) => { error = err })
      return { error, content: fs.readFileSync(path.join(target, 'f.txt'), 'utf8') }
    } finally {
      if (saved === undefined) delete process.env.SCRATCHSPACE_DIR
      else process.env.SCRATCHSPACE_DIR = saved
    }
  }

  test('win32: EPERM means the space is there: it goes to the trash and the import lands', async () => {
    expect(await importOverExisting('win32')).toEqual({ error: null, content: 'new' })
  })

  test('elsewhere EPERM is a failure: the import fails and the space stays as it was', async () => {
    const { error, content } = await importOverExisting('linux')
    expect(error).not.toBeNull()
    expect(content).toBe('old')
  })
})

describe('archive entry names (archive/safety)', () => {
  test('win32 refuses ":" in an entry (a drive or an alternate data stream); elsewhere it is an ordinary character', () => {
    fakePlatform('linux')
    expect(safeEntryPath('a.tgz', 'dir/a:b')).toBe('dir/a:b')
    fakePlatform('win32')
    expect(() => safeEntryPath('a.tgz', 'dir/a:b')).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_UNSAFE_ARCHIVE' }))
    expect(() => safeEntryPath('a.tgz', 'file.txt:stream')).toThrow(/":"/)
    expect(safeEntryPath('a.tgz', 'dir/plain.txt')).toBe('dir/plain.txt')
  })
})

describe('yarn paths (hooks/yarn-plugin)', () => {
  test('nativePath turns yarn portable paths into path.win32 paths on Windows, and leaves them alone elsewhere', () => {
    expect(nativePath('/C:/Users/u/app', 'win32')).toBe('C:\\Users\\u\\app')
    expect(nativePath('/d:', 'win32')).toBe('d:\\')
    expect(nativePath('/unc/server/share/app', 'win32')).toBe('\\\\server\\share\\app')
    for (const portable of ['/C:/Users/u/app', '/unc/server/share/app']) {
      const native = nativePath(portable, 'win32')
      expect(path.win32.isAbsolute(native)).toBe(true)
      expect(path.win32.normalize(native)).toBe(native)
    }
    expect(nativePath('/home/u/app', 'linux')).toBe('/home/u/app')
    fakePlatform('win32')
    expect(nativePath('/C:/x')).toBe('C:\\x')
  })
})
