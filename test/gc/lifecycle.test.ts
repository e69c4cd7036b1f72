import fs from 'node:fs'
import path from 'node:path'
import { runGc } from '../../src/gc'
import { useSandbox } from '../runtime/support'
import { npmProject, projectUsingAandB, recordUse, makeSpace } from './support'
import { bookkeepingDir, trashDir } from '../../src/runtime/layout'

// Scratch.jl's "Scratch Space Lifecycling" set (cases 14–16), in our semantics: liveness comes
// from what lockfiles list, not from whether a parent file exists.
describe('gc lifecycle', () => {
  const box = useSandbox()

  const setup = (): ReturnType<typeof projectUsingAandB> => projectUsingAandB(box.tmp, box.store)

  test('a gc right after install deletes nothing and marks nothing', async () => {
    const { a, b } = setup()
    const report = await runGc()
    expect(report.spaces.map((s) => [s.owner, s.verdict, s.action])).toEqual([['pkg-a', 'live', 'keep'], ['pkg-b', 'live', 'keep']])
    expect(report.projects).toEqual([{ dir: path.join(box.tmp, 'p1'), status: 'present', lockfiles: [path.join(box.tmp, 'p1', 'package-lock.json')] }])
    expect(fs.existsSync(a) && fs.existsSync(b)).toBe(true)
    expect(JSON.parse(fs.readFileSync(path.join(bookkeepingDir(box.store), 'orphans.json'), 'utf8')).marks).toEqual({})
  })

  test('removing A from the lockfile deletes A\'s spaces and keeps B\'s', async () => {
    const { p1, a, b } = setup()
    await runGc()
    npmProject(p1, ['pkg-b'])
    const report = await runGc()
    const byOwner = Object.fromEntries(report.spaces.map((s) => [s.owner, s]))
    expect(byOwner['pkg-a']).toMatchObject({ verdict: 'orphaned', action: 'deleted', bytes: 100 })
    expect(byOwner['pkg-b']).toMatchObject({ verdict: 'live', action: 'keep' })
    expect(report.freedBytes).toBe(100)
    expect(fs.existsSync(a)).toBe(false)
    expect(fs.existsSync(path.join(box.store, 'pkg-a'))).toBe(false) // emptied namespace pruned
    expect(fs.existsSync(b)).toBe(true)
    expect(fs.readdirSync(trashDir(box.store))).toEqual([])
  })

  test('a second registered project that still lists A keeps A\'s spaces', async () => {
    const { p1, a } = setup()
    const p2 = npmProject(path.join(box.tmp, 'p2'), ['pkg-a'])
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p2)
    npmProject(p1, ['pkg-b'])
    const report = await runGc()
    expect(report.spaces.find((s) => s.owner === 'pkg-a')).toMatchObject({ verdict: 'live', action: 'keep', reason: `owner pkg-a is installed in ${p2}` })
    expect(fs.existsSync(a)).toBe(true)
  })

  test('deleting the project directory orphans its packages\' spaces', async () => {
    const { p1, a, b } = setup()
    fs.rmSync(p1, { recursive: true })
    const report = await runGc()
    expect(report.projects).toEqual([expect.objectContaining({ dir: p1, status: 'gone' })])
    expect(report.spaces.every((s) => s.action === 'deleted')).toBe(true)
    expect(fs.existsSync(a) || fs.existsSync(b)).toBe(false)
    const registry = JSON.parse(fs.readFileSync(path.join(bookkeepingDir(box.store), 'registry.json'), 'utf8'))
    expect(registry.projects).toEqual({}) // gone projects leave the registry
  })

  test('with a grace period the orphan is marked, not deleted, and un-marked when live again', async () => {
    const { p1, a } = setup()
    npmProject(p1, ['pkg-b'])
    const first = await runGc({ graceMs: 3_600_000 })
    expect(first.spaces.find((s) => s.owner === 'pkg-a')).toMatchObject({ verdict: 'orphaned', action: 'keep' })
    expect(fs.existsSync(a)).toBe(true)
    const marksFile = path.join(bookkeepingDir(box.store), 'orphans.json')
    expect(Object.keys(JSON.parse(fs.readFileSync(marksFile, 'utf8')).marks)).toEqual(['pkg-a/cache'])

    // Still within the grace period an hour later minus a minute: kept.
    const soon = await runGc({ graceMs: 3_600_000, now: Date.now() + 3_540_000 })
    expect(soon.spaces.find((s) => s.owner === 'pkg-a')?.action).toBe('keep')

    npmProject(p1, ['pkg-a', 'pkg-b'])
    const live = await runGc({ graceMs: 3_600_000 })
    expect(live.spaces.find((s) => s.owner === 'pkg-a')).toMatchObject({ verdict: 'live', action: 'keep' })
    expect(JSON.parse(fs.readFileSync(marksFile, 'utf8')).marks).toEqual({})
  })

  test('an orphan is deleted once the grace period has passed', async () => {
    const { p1, a } = setup()
    npmProject(p1, ['pkg-b'])
    await runGc({ graceMs: 3_600_000 })
    const later = await runGc({ graceMs: 3_600_000, now: Date.now() + 3_600_001 })
    expect(later.spaces.find((s) => s.owner === 'pkg-a')?.action).toBe('deleted')
    expect(fs.existsSync(a)).toBe(false)
  })

  test('a caller keeps a space in another owner\'s namespace alive', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['user-pkg'])
    const shared = makeSpace(box.store, 'provider-pkg', 'models')
    recordUse(box.store, { owner: 'provider-pkg', key: 'models', caller: 'user-pkg' }, p1)
    const report = await runGc()
    expect(report.spaces[0]).toMatchObject({ verdict: 'live', reason: `caller user-pkg is installed in ${p1}`, callers: ['user-pkg'], projects: [p1] })
    expect(fs.existsSync(shared)).toBe(true)
  })
})
