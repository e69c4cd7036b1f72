/**
 * In a store of many projects the install-time sweep saves what it changed as the registry's
 * delta instead of rewriting the file; every later run judges as if the file had been rewritten,
 * and the full gc folds the delta into the file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { runGc, scopedSweep } from '../../src/gc'
import { appendRecord, projectRecord } from '../../src/runtime/access-log'
import { loadRegistry } from '../../src/store/registry'
import { bookkeepingDir } from '../../src/runtime/layout'
import { useSandbox } from '../runtime/support'
import { makeSpace, npmProject, recordUse } from './support'

describe('scoped sweep: the registry delta', () => {
  const box = useSandbox()
  const registryFile = (): string => path.join(bookkeepingDir(box.store), 'registry.json')
  const deltaFile = (): string => path.join(bookkeepingDir(box.store), 'registry.delta.json')
  const common = Array.from({ length: 30 }, (_, i) => `dep-${i}`)

  /** 24 registered projects sharing 30 names (a delta entry spells its names out, the file stores ids: one entry is then well within a quarter of it); p1 alone lists pkg-a, p1 and p2 list pkg-b; each has a space. */
  function store(): { p1: string; p2: string; a: string; b: string } {
    const projects = Array.from({ length: 24 }, (_, i) => npmProject(path.join(box.tmp, `p${i}`), [...common, ...(i === 1 ? ['pkg-a', 'pkg-b'] : i === 2 ? ['pkg-b'] : [])]))
    const [, p1, p2] = projects
    const a = makeSpace(box.store, 'pkg-a', 'cache')
    const b = makeSpace(box.store, 'pkg-b', 'cache')
    for (const dir of projects) appendRecord(box.store, projectRecord(dir, Date.now()))
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1)
    recordUse(box.store, { owner: 'pkg-b', key: 'cache' }, p2)
    return { p1, p2, a, b }
  }
  const namesOf = (dir: string): readonly string[] | undefined => {
    const read = loadRegistry(box.store)
    if (read.state !== 'ok') throw new Error(read.state)
    return read.value.projects[dir]?.names
  }

  test('the sweep writes the delta, the file stays; the next runs read it; the full gc folds it', async () => {
    const { p1, a } = store()
    await runGc()
    const file = fs.readFileSync(registryFile(), 'utf8')
    scopedSweep({ projectDir: p1, names: ['p1', ...common, 'pkg-a', 'pkg-b'] })
    const report = scopedSweep({ projectDir: p1, names: ['p1', ...common, 'pkg-b'] })
    expect(report.spaces.map((s) => [s.owner, s.action])).toEqual([['pkg-a', 'deleted']])
    expect(fs.existsSync(a)).toBe(false)
    expect(fs.readFileSync(registryFile(), 'utf8')).toBe(file)
    // (Other projects may be in it too: a sweep also saves the directory stamps that settled
    // since the gc, 2 s after the projects were made, which a loaded machine can reach.)
    // Its names and source (a save for other projects' stamps writes it again with a new checkedAt).
    const deltaEntry = (): unknown => {
      const entry = JSON.parse(fs.readFileSync(deltaFile(), 'utf8')).projects[p1]
      return { names: entry?.names, source: entry?.source }
    }
    expect(deltaEntry()).toMatchObject({ source: 'hook' })
    expect(namesOf(p1)).not.toContain('pkg-a')
    // An install that changes nothing again leaves the project's entry as it is.
    const delta = deltaEntry()
    scopedSweep({ projectDir: p1, names: ['p1', ...common, 'pkg-b'] })
    expect(deltaEntry()).toEqual(delta)
    // pnpm has written the lockfile by the time a gc runs.
    npmProject(p1, [...common, 'pkg-b'])
    await runGc()
    expect(fs.existsSync(deltaFile())).toBe(false)
    expect(fs.readFileSync(registryFile(), 'utf8')).not.toBe(file)
    expect(namesOf(p1)).not.toContain('pkg-a')
  })

  test('a dropped name saved in the delta is not judged again by the project\'s later installs (a branch switch in another project keeps its space until a gc with grace)', async () => {
    const { p1, p2, b } = store()
    await runGc()
    scopedSweep({ projectDir: p1, names: ['p1', ...common, 'pkg-a', 'pkg-b'] })
    expect(scopedSweep({ projectDir: p1, names: ['p1', ...common, 'pkg-a'] }).spaces.map((s) => [s.key, s.action])).toEqual([['cache', 'keep']])
    expect(fs.existsSync(deltaFile())).toBe(true)
    npmProject(p1, [...common, 'pkg-a'])
    npmProject(p2, [...common])
    expect(scopedSweep({ projectDir: p1, names: ['p1', ...common, 'pkg-a'] }).spaces).toEqual([])
    expect(fs.existsSync(b)).toBe(true)
  })

  test('a project that an install adds is written with the file whole, so a release that reads the file alone keeps its spaces', async () => {
    const { p1 } = store()
    await runGc()
    // A project without a lockfile: only the names its install hook gave keep its packages.
    const loose = path.join(box.tmp, 'no-lockfile')
    fs.mkdirSync(loose, { recursive: true })
    fs.writeFileSync(path.join(loose, 'package.json'), JSON.stringify({ name: 'no-lockfile', dependencies: { 'pkg-c': '1' } }))
    const c = makeSpace(box.store, 'pkg-c', 'cache')
    recordUse(box.store, { owner: 'pkg-c', key: 'cache' }, path.join(box.tmp, 'p3'))
    const file = fs.readFileSync(registryFile(), 'utf8')
    expect(scopedSweep({ projectDir: loose, names: ['no-lockfile', 'pkg-c'] }).warnings).toEqual([])
    expect(fs.readFileSync(registryFile(), 'utf8')).not.toBe(file)
    expect(fs.existsSync(deltaFile())).toBe(false)
    // A later install elsewhere that only drops names writes a delta; without it (a release that
    // knows no delta, or a delta lost), the file alone still names pkg-c for the new project.
    scopedSweep({ projectDir: p1, names: ['p1', ...common, 'pkg-b'] })
    expect(fs.existsSync(deltaFile())).toBe(true)
    fs.rmSync(deltaFile())
    expect((await runGc({ dryRun: true })).spaces.find((s) => s.owner === 'pkg-c')?.action).toBe('keep')
    expect(fs.existsSync(c)).toBe(true)
  })

  test('a delta cut short (a power cut after writing a new file) is ignored with a warning; the file alone keeps what it named, and the gc goes on', async () => {
    const { p1 } = store()
    const loose = path.join(box.tmp, 'no-lockfile')
    fs.mkdirSync(loose, { recursive: true })
    fs.writeFileSync(path.join(loose, 'package.json'), JSON.stringify({ name: 'no-lockfile' }))
    const c = makeSpace(box.store, 'pkg-c', 'cache')
    recordUse(box.store, { owner: 'pkg-c', key: 'cache' }, path.join(box.tmp, 'p3'))
    scopedSweep({ projectDir: loose, names: ['no-lockfile', 'pkg-c'] })
    await runGc()
    scopedSweep({ projectDir: p1, names: ['p1', ...common, 'pkg-b'] })
    fs.truncateSync(deltaFile(), 0)
    const first = await runGc()
    expect(first.warnings).toEqual([expect.stringContaining("ignored the registry's delta")])
    expect(first.spaces.find((s) => s.owner === 'pkg-c')?.action).toBe('keep')
    // The run wrote the file whole and removed the delta; later runs see no damage.
    expect(fs.existsSync(deltaFile())).toBe(false)
    const second = await runGc()
    expect(second.warnings).toEqual([])
    expect(second.spaces.find((s) => s.owner === 'pkg-c')?.action).toBe('keep')
    expect(fs.existsSync(c)).toBe(true)
  })
})
