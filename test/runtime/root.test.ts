/** Where the store lives (SPEC §3): resolveRoot per platform, and the env override in a live process. */
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

  test('a relative SCRATCHSPACE_DIR resolves against INIT_CWD (the directory npm/pnpm was run in)', () => {
    process.env.INIT_CWD = box.tmp
    process.env.SCRATCHSPACE_DIR = 'rel-store'
    expect(scratchDir()).toBe(path.join(box.tmp, 'rel-store'))
  })
})
