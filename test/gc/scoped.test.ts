import fs from 'node:fs'
import path from 'node:path'
import { runGc, scopedSweep } from '../../src/gc'
import { acquireLock } from '../../src/store/lock'
import { loadRegistry } from '../../src/store/registry'
import { useSandbox } from '../runtime/support'
import { makeSpace, npmProject, projectUsingAandB, recordUse } from './support'
import { accessLogPath, bookkeepingDir } from '../../src/runtime/layout'

// The sweep the install hooks run: names come from the hook's argument, not from disk.
describe('scoped sweep', () => {
  const box = useSandbox()

  const installed = (): ReturnType<typeof projectUsingAandB> => projectUsingAandB(box.tmp, box.store)

  test('removing A (names from the argument) sweeps A\'s spaces only, though the lockfile on disk still lists A', () => {
    const { p1, a, b } = installed()
    const report = scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b'] })
    expect(report.spaces.map((s) => [s.owner, s.action])).toEqual([['pkg-a', 'deleted']])
    expect(report.freedBytes).toBe(100)
    expect(fs.existsSync(a)).toBe(false)
    expect(fs.existsSync(b)).toBe(true)
  })

  test('a second project that still lists A keeps A\'s spaces', () => {
    const { p1, a } = installed()
    npmProject(path.join(box.tmp, 'p2'), ['pkg-a'])
    scopedSweep({ projectDir: path.join(box.tmp, 'p2'), names: ['p2', 'pkg-a'] })
    const report = scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b'] })
    expect(report.spaces[0]).toMatchObject({ owner: 'pkg-a', verdict: 'live', action: 'keep', reason: expect.stringContaining('p2') })
    expect(fs.existsSync(a)).toBe(true)
  })

  test('a project registered by a hook counts for later full gc runs, and the names it registered are re-read from disk', async () => {
    const { p1 } = installed()
    scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a', 'pkg-b'] })
    const registry = loadRegistry(box.store)
    expect(registry.state === 'ok' && registry.value.projects[p1]).toMatchObject({ names: ['p1', 'pkg-a', 'pkg-b'], lockfiles: [], source: 'hook' })
    const report = await runGc()
    expect(report.spaces.every((s) => s.action === 'keep')).toBe(true)
  })

  test('nothing previously used is dropped → nothing is judged', () => {
    const { p1 } = installed()
    const report = scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a', 'pkg-b', 'pkg-new'] })
    expect(report.spaces).toEqual([])
  })

  test('registerOnly (SCRATCHSPACE_AUTO_GC=0) registers and sweeps nothing', () => {
    const { p1, a } = installed()
    const report = scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b'], registerOnly: true })
    expect(report.spaces).toEqual([])
    expect(fs.existsSync(a)).toBe(true)
  })

  test('a locked store skips the sweep with one warning, but the registration still lands in the log', async () => {
    const { p1, a } = installed()
    const held = await acquireLock(box.store)
    try {
      const report = scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b'] })
      expect(report.warnings).toHaveLength(1)
      expect(report.warnings[0]).toMatch(/locked.*sweep skipped/)
      expect(fs.existsSync(a)).toBe(true)
      expect(fs.readFileSync(accessLogPath(box.store), 'utf8')).toContain(`"t":"project","project":${JSON.stringify(p1)}`)
    } finally {
      held.release()
    }
  })

  test('without names the project\'s lockfile is read from disk (scratch gc --project)', () => {
    const { p1, a } = installed()
    npmProject(p1, ['pkg-b'])
    const report = scopedSweep({ projectDir: p1 })
    expect(report.spaces.map((s) => [s.owner, s.action])).toEqual([['pkg-a', 'deleted']])
    expect(fs.existsSync(a)).toBe(false)
  })

  test('an unreadable lockfile on disk sweeps nothing and warns', () => {
    const { p1, a } = installed()
    fs.writeFileSync(path.join(p1, 'package-lock.json'), '{ truncated')
    const report = scopedSweep({ projectDir: p1 })
    expect(report.warnings).toEqual([expect.stringContaining('cannot read the lockfile')])
    expect(fs.existsSync(a)).toBe(true)
  })

  test('a space whose recorded caller was dropped is swept too', () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['user-pkg'])
    const shared = makeSpace(box.store, 'provider-pkg', 'models')
    recordUse(box.store, { owner: 'provider-pkg', key: 'models', caller: 'user-pkg' }, p1)
    const report = scopedSweep({ projectDir: p1, names: ['p1'] })
    expect(report.spaces).toEqual([expect.objectContaining({ owner: 'provider-pkg', action: 'deleted' })])
    expect(fs.existsSync(shared)).toBe(false)
  })

  test('damaged log lines do not make the hook warn (the full gc reports them, once)', async () => {
    const { p1 } = installed()
    fs.appendFileSync(accessLogPath(box.store), 'garbage line\n')
    expect(scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a', 'pkg-b'] }).warnings).toEqual([])
    expect((await runGc()).warnings).toEqual(['skipped 1 damaged line(s) in the access log'])
    expect((await runGc()).warnings).toEqual([])
  })

  test('a large live log is rotated and compacted by the sweep, keeping what it says', () => {
    const { p1 } = installed()
    for (let i = 0; i < 1800; i++) recordUse(box.store, { owner: 'pkg-b', key: 'cache', caller: `caller-${i}` }, p1)
    const log = accessLogPath(box.store)
    expect(fs.statSync(log).size).toBeGreaterThan(256 * 1024)
    scopedSweep({ projectDir: p1, names: ['p1', 'pkg-a', 'pkg-b'] })
    expect(fs.existsSync(log)).toBe(false)
    const compact = fs.readFileSync(path.join(bookkeepingDir(box.store), 'access.compact.log'), 'utf8')
    expect(compact.split('\n').filter((line) => line.includes('"caller":"caller-')).length).toBe(1800)
    const report = scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b'] })
    // pkg-b's space is judged too (its recorded callers were dropped) and kept: its owner is installed.
    expect(report.spaces.map((s) => [s.owner, s.action])).toEqual([['pkg-a', 'deleted'], ['pkg-b', 'keep']])
  })
})
