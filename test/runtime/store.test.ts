/** The store on disk (SPEC §3): CACHEDIR.TAG, 0700 directories, and the tracking switch. */
import fs from 'node:fs'
import path from 'node:path'
import { deleteScratch, ensureScratch, getGlobalScratch, getScratch } from '../../src'
import { BOOKKEEPING_DIR, CACHEDIR_TAG_CONTENT } from '../../src/runtime/layout'
import { listTree } from '../helpers/tmp'
import { logPath, useSandbox } from './support'

const box = useSandbox()
const mode = (...parts: string[]): string => (fs.statSync(path.join(box.store, ...parts)).mode & 0o777).toString(8)

describe('CACHEDIR.TAG', () => {
  test('is written with the signature line when the store is created', () => {
    getScratch('k', { name: 'p' })
    const tag = fs.readFileSync(path.join(box.store, 'CACHEDIR.TAG'), 'utf8')
    expect(tag.startsWith('Signature: 8a477f597d28d172789f06886806bc55\n')).toBe(true)
    expect(tag).toBe(CACHEDIR_TAG_CONTENT)
  })

  test('is written again when the whole store was removed while the process runs', () => {
    getScratch('a', { name: 'p' })
    fs.rmSync(box.store, { recursive: true })
    getScratch('b', { name: 'p' })
    expect(fs.readFileSync(path.join(box.store, 'CACHEDIR.TAG'), 'utf8')).toBe(CACHEDIR_TAG_CONTENT)
    expect(mode()).toBe('700')
  })

  test('an existing tag is never overwritten', () => {
    fs.mkdirSync(box.store)
    fs.writeFileSync(path.join(box.store, 'CACHEDIR.TAG'), 'Signature: 8a477f597d28d172789f06886806bc55\n# mine\n')
    getScratch('k', { name: 'p' })
    expect(fs.readFileSync(path.join(box.store, 'CACHEDIR.TAG'), 'utf8')).toBe('Signature: 8a477f597d28d172789f06886806bc55\n# mine\n')
  })
})

describe('modes', () => {
  let umask: number
  beforeEach(() => { umask = process.umask(0o022) })
  afterEach(() => { process.umask(umask) })

  test('every directory the store creates is 0700 (umask 022), the log 0600', async () => {
    getScratch('k', { name: '@scope/pkg' })
    getGlobalScratch('g')
    await ensureScratch('e', { name: 'p' }, (dir) => fs.writeFileSync(path.join(dir, 'f'), ''))
    getScratch('gone', { name: 'p' })
    deleteScratch('gone', { name: 'p' })
    const dirs = [[], [BOOKKEEPING_DIR], [BOOKKEEPING_DIR, 'trash'], ['@scope'], ['@scope', 'pkg'], ['@scope', 'pkg', 'k'], ['_global'], ['_global', 'g'], ['p'], ['p', 'e']]
    expect(dirs.map((parts) => `${parts.join('/')} ${mode(...parts)}`)).toEqual(dirs.map((parts) => `${parts.join('/')} 700`))
    expect(mode(BOOKKEEPING_DIR, 'access.log')).toBe('600')
    expect(mode('CACHEDIR.TAG')).toBe('644')
  })

  test('a pre-existing store root keeps its own mode', () => {
    fs.mkdirSync(box.store, { mode: 0o755 })
    getScratch('k', { name: 'p' })
    expect(mode()).toBe('755')
    expect(mode('p', 'k')).toBe('700')
  })
})

describe('SCRATCHSPACE_TRACK_ACCESS', () => {
  test.each(['0', 'false', 'no', 'off', 'FALSE', 'No', 'OFF', ' off '])('%j turns the access log off', (value) => {
    process.env.SCRATCHSPACE_TRACK_ACCESS = value
    const dir = getScratch('k', { name: 'p' })
    getGlobalScratch('g')
    expect(fs.statSync(dir).isDirectory()).toBe(true)
    expect(fs.existsSync(logPath(box.store))).toBe(false)
    expect(listTree(box.store)).toEqual(['.scratch/', '.scratch/format', 'CACHEDIR.TAG', '_global/', '_global/g/', 'p/', 'p/k/'])
  })

  test.each(['1', 'true', 'yes', 'on', ''])('%j keeps it on', (value) => {
    process.env.SCRATCHSPACE_TRACK_ACCESS = value
    getScratch('k', { name: 'p' })
    expect(fs.readFileSync(logPath(box.store), 'utf8').split('\n')).toHaveLength(2)
  })
})
