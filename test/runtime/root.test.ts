/** Where the store lives (SPEC §3): resolveRoot per platform, and the env override in a live process. */
import fs from 'node:fs'
import path from 'node:path'
import { getScratch, scratchDir } from '../../src'
import { resolveRoot, type RootInputs } from '../../src/runtime/root'
import { useSandbox } from './support'

const linux = (env: NodeJS.ProcessEnv, cwd = '/work/proj'): RootInputs => ({ env, platform: 'linux', cwd, homedir: '/home/u' })

describe('resolveRoot', () => {
  test.each<[string, RootInputs, string]>([
    ['Linux default', linux({}), '/home/u/.cache/scratchspace'],
    ['Linux absolute XDG_CACHE_HOME', linux({ XDG_CACHE_HOME: '/xdg/cache' }), '/xdg/cache/scratchspace'],
    ['Linux relative XDG_CACHE_HOME is ignored', linux({ XDG_CACHE_HOME: 'rel/cache' }), '/home/u/.cache/scratchspace'],
    ['Linux empty XDG_CACHE_HOME is ignored', linux({ XDG_CACHE_HOME: '' }), '/home/u/.cache/scratchspace'],
    ['FreeBSD like Linux', { ...linux({}), platform: 'freebsd' }, '/home/u/.cache/scratchspace'],
    ['macOS', { env: { XDG_CACHE_HOME: '/xdg' }, platform: 'darwin', cwd: '/', homedir: '/Users/u' }, '/Users/u/Library/Caches/scratchspace'],
    ['Windows LOCALAPPDATA', { env: { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, platform: 'win32', cwd: 'C:\\proj', homedir: 'C:\\Users\\u' },
      'C:\\Users\\u\\AppData\\Local\\scratchspace\\Cache'],
    ['Windows without LOCALAPPDATA', { env: {}, platform: 'win32', cwd: 'C:\\proj', homedir: 'C:\\Users\\u' },
      'C:\\Users\\u\\AppData\\Local\\scratchspace\\Cache'],
    ['SCRATCHSPACE_DIR absolute', linux({ SCRATCHSPACE_DIR: '/store', XDG_CACHE_HOME: '/xdg' }), '/store'],
    ['SCRATCHSPACE_DIR is normalised', linux({ SCRATCHSPACE_DIR: '/store/sub/../x/' }), '/store/x'],
    ['SCRATCHSPACE_DIR relative to INIT_CWD', linux({ SCRATCHSPACE_DIR: 'cache', INIT_CWD: '/init' }), '/init/cache'],
    ['SCRATCHSPACE_DIR relative to cwd without INIT_CWD', linux({ SCRATCHSPACE_DIR: '../cache' }), '/work/cache'],
    ['SCRATCHSPACE_DIR relative to cwd with an empty INIT_CWD', linux({ SCRATCHSPACE_DIR: 'c', INIT_CWD: '' }), '/work/proj/c'],
    ['empty SCRATCHSPACE_DIR is ignored', linux({ SCRATCHSPACE_DIR: '' }), '/home/u/.cache/scratchspace'],
    ['Windows SCRATCHSPACE_DIR relative to INIT_CWD', { env: { SCRATCHSPACE_DIR: 'c', INIT_CWD: 'D:\\init' }, platform: 'win32', cwd: 'C:\\proj', homedir: 'C:\\Users\\u' },
      'D:\\init\\c'],
  ])('%s', (_label, inputs, expected) => {
    expect(resolveRoot(inputs)).toBe(expected)
    // The same answer when cwd and homedir are getters (as for the process's own inputs), and
    // neither is read unless the answer depends on it.
    const read: string[] = []
    const lazy: RootInputs = {
      env: inputs.env, platform: inputs.platform,
      get cwd() { read.push('cwd'); return inputs.cwd },
      get homedir() { read.push('homedir'); return inputs.homedir },
    }
    expect(resolveRoot(lazy)).toBe(expected)
    const override = inputs.env.SCRATCHSPACE_DIR ?? ''
    const needsCwd = override !== '' && (inputs.platform === 'win32' || !path.isAbsolute(override)) && (inputs.env.INIT_CWD ?? '') === ''
    expect(read.includes('cwd')).toBe(needsCwd)
    if (override !== '') expect(read).not.toContain('homedir')
  })
})

describe('in a live process', () => {
  const box = useSandbox()

  test('the root follows SCRATCHSPACE_DIR when it changes', () => {
    expect(scratchDir()).toBe(box.store)
    const other = path.join(box.tmp, 'other')
    process.env.SCRATCHSPACE_DIR = other
    expect(scratchDir()).toBe(other)
    expect(getScratch('k', { name: 'p' })).toBe(path.join(other, 'p', 'k'))
  })

  test('a process whose cwd was deleted still gets its space (an absolute root and an owner by location need no cwd)', () => {
    const pkg = path.join(box.tmp, 'proj', 'node_modules', 'lib')
    fs.mkdirSync(pkg, { recursive: true })
    fs.writeFileSync(path.join(box.tmp, 'proj', 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n")
    fs.writeFileSync(path.join(pkg, 'package.json'), '{ "name": "lib" }')
    const gone = path.join(box.tmp, 'gone')
    fs.mkdirSync(gone)
    const before = process.cwd()
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      process.chdir(gone)
      fs.rmdirSync(gone)
      expect(() => process.cwd()).toThrow()
      expect(getScratch('k', pkg)).toBe(path.join(box.store, 'lib', 'k'))
    } finally {
      process.chdir(before)
    }
    expect(stderr).not.toHaveBeenCalled()
    expect(fs.readFileSync(path.join(box.store, '.scratch', 'access.log'), 'utf8')).toContain(`"project":${JSON.stringify(path.join(box.tmp, 'proj'))}`)
  })

  test('a relative SCRATCHSPACE_DIR resolves against INIT_CWD (the directory npm/pnpm was run in)', () => {
    process.env.INIT_CWD = box.tmp
    process.env.SCRATCHSPACE_DIR = 'rel-store'
    expect(scratchDir()).toBe(path.join(box.tmp, 'rel-store'))
  })
})
