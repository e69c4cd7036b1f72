import fs from 'node:fs'
import path from 'node:path'
import { runGc } from '../../src/gc'
import { useSandbox } from '../runtime/support'
import { makeSpace, npmProject, recordUse } from './support'
import { accessLogPath, bookkeepingDir } from '../../src/runtime/layout'

// If liveness is unknown, keep the space and say why (SPEC §4: unknown projects fail closed).
describe('gc fails closed', () => {
  const box = useSandbox()

  /** Project p1 whose real lockfile lists `deps`, and the space pkg-a/cache used from it. */
  function projectUsingCacheOfA(deps: string[]): string {
    const p1 = npmProject(path.join(box.tmp, 'p1'), deps)
    makeSpace(box.store, 'pkg-a', 'cache')
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1)
    return p1
  }

  async function orphanAfter(damage: (p1: string) => void): Promise<Awaited<ReturnType<typeof runGc>>> {
    const p1 = projectUsingCacheOfA(['pkg-a', 'pkg-b'])
    await runGc() // the registry learns p1's names
    damage(p1)
    return runGc()
  }

  const lockfile = (p1: string): string => path.join(p1, 'package-lock.json')

  test.each([
    ['a truncated lockfile', (p1: string) => fs.writeFileSync(lockfile(p1), fs.readFileSync(lockfile(p1), 'utf8').slice(0, 80))],
    ['a garbage lockfile', (p1: string) => fs.writeFileSync(lockfile(p1), '\u0000\u0001 not json at all')],
    ['an unknown lockfile version', (p1: string) => {
      const lock = JSON.parse(fs.readFileSync(lockfile(p1), 'utf8'))
      fs.writeFileSync(lockfile(p1), JSON.stringify({ ...lock, lockfileVersion: 99 }))
    }],
    ['a missing lockfile', (p1: string) => fs.rmSync(lockfile(p1))],
    ['a lockfile that is a directory (unreadable)', (p1: string) => { fs.rmSync(lockfile(p1)); fs.mkdirSync(lockfile(p1)) }],
  ])('%s keeps the project unknown and its packages\' spaces', async (_label, damage) => {
    const report = await orphanAfter(damage)
    const project = report.projects[0]
    expect(project.status).toBe('unknown')
    expect(project.reason).toEqual(expect.any(String))
    expect(report.spaces[0]).toMatchObject({ owner: 'pkg-a', verdict: 'live', action: 'keep' })
    expect(fs.existsSync(path.join(box.store, 'pkg-a', 'cache'))).toBe(true)
  })

  test('an unreadable project directory (EACCES) is unknown, and list says why', async () => {
    const p1 = projectUsingCacheOfA(['pkg-a'])
    const realStat = fs.statSync
    jest.spyOn(fs, 'statSync').mockImplementation(((file: fs.PathLike, opts?: fs.StatSyncOptions) => {
      if (String(file) === p1) throw Object.assign(new Error(`EACCES: permission denied, stat '${p1}'`), { code: 'EACCES' })
      return realStat(file, opts)
    }) as typeof fs.statSync)
    const report = await runGc({ dryRun: true })
    expect(report.projects[0]).toMatchObject({ dir: p1, status: 'unknown', reason: expect.stringContaining('EACCES') })
    expect(report.spaces[0]).toMatchObject({ verdict: 'live', action: 'keep', reason: expect.stringContaining('cannot be read') })
  })

  test('an unknown project that never had readable names still keeps the spaces it used', async () => {
    const p1 = path.join(box.tmp, 'p1')
    fs.mkdirSync(p1)
    fs.writeFileSync(path.join(p1, 'pnpm-lock.yaml'), "lockfileVersion: '5.4'\n")
    makeSpace(box.store, 'pkg-a', 'cache')
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1)
    const report = await runGc()
    expect(report.projects[0]).toMatchObject({ status: 'unknown' })
    expect(report.spaces[0]).toMatchObject({ action: 'keep', verdict: 'live' })
  })

  test('a damaged registry is rebuilt from the access log and that run deletes nothing', async () => {
    const p1 = projectUsingCacheOfA(['pkg-b'])
    fs.writeFileSync(path.join(bookkeepingDir(box.store), 'registry.json'), '{"version": 1, "proj')
    const first = await runGc()
    expect(first.spaces[0]).toMatchObject({ verdict: 'orphaned', action: 'keep' })
    expect(first.warnings.join('\n')).toMatch(/registry was damaged/)
    expect(first.projects.map((p) => p.dir)).toEqual([p1]) // rebuilt from the log
    const second = await runGc()
    expect(second.spaces[0]).toMatchObject({ verdict: 'orphaned', action: 'deleted' })
  })

  test('damaged orphan marks reset, and that run deletes nothing', async () => {
    const p1 = projectUsingCacheOfA(['pkg-b'])
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    fs.writeFileSync(path.join(bookkeepingDir(box.store), 'orphans.json'), 'garbage')
    const report = await runGc()
    expect(report.spaces[0].action).toBe('keep')
    expect(report.warnings.join('\n')).toMatch(/orphan marks were damaged/)
  })

  test('damaged log lines are skipped, counted, and never abort the run', async () => {
    const p1 = projectUsingCacheOfA(['pkg-a'])
    fs.appendFileSync(accessLogPath(box.store), 'deadbeef {"t":"access"\nnot a record\n')
    const report = await runGc()
    expect(report.warnings).toContain('skipped 2 damaged line(s) in the access log')
    expect(report.spaces[0]).toMatchObject({ verdict: 'live', tracked: true })
  })

  test('a changed byte that leaves the registry valid JSON is caught by its checksum: rebuilt, nothing deleted', async () => {
    const p1 = projectUsingCacheOfA(['pkg-a', 'pkg-b'])
    await runGc()
    const file = path.join(bookkeepingDir(box.store), 'registry.json')
    const text = fs.readFileSync(file, 'utf8')
    // pkg-a's entry in the names table becomes another valid name, as a flipped bit would make it.
    expect(text).toContain('"pkg-a"')
    fs.writeFileSync(file, text.replace('"pkg-a"', '"pkg-q"'))
    JSON.parse(fs.readFileSync(file, 'utf8'))
    const report = await runGc()
    expect(report.warnings.join('\n')).toMatch(/registry was damaged .*checksum mismatch/)
    expect(report.spaces[0]).toMatchObject({ owner: 'pkg-a', action: 'keep' })
  })
})
