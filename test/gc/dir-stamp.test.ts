/**
 * A project's directory times stand in for listing it (docs/design.md, "The warm gc"): while they
 * hold, the lockfiles listed last time are the lockfiles there. Whatever changes in between —
 * a lockfile added or removed, `node_modules` or npm's hidden lockfile appearing — the probe
 * must find exactly what a listing finds; a forged or malformed stamp proves nothing; and a
 * directory changed too recently gets no stamp at all.
 */
import fs from 'node:fs'
import path from 'node:path'
import { probeProject, type ProjectState } from '../../src/gc/projects'
import { lockfilesIn } from '../../src/lockfiles'
import { settledStamp, stampBeforeListing, unchangedLockfiles, type DirTimes } from '../../src/lockfiles/dir-stamp'
import { registryChanged, type ProjectEntry } from '../../src/store/registry'
import { removeTempDirs, tempDir } from '../helpers/tmp'
import { scopedSweep } from '../../src/gc/scoped'
import { loadRegistry } from '../../src/store/registry'
import { makeSpace, npmProject, recordUse } from './support'

// The sweep's run start, moved ahead by this much where a test needs its projects long settled.
let mockClockAhead = 0
jest.mock('../../src/gc/clock', () => {
  const actual = jest.requireActual('../../src/gc/clock')
  return { ...actual, markRunStart: (root: string) => { const start = actual.markRunStart(root); return { ...start, fsMs: start.fsMs + mockClockAhead } } }
})

afterEach(() => {
  jest.restoreAllMocks()
  removeTempDirs()
  mockClockAhead = 0
})

/** Far ahead of any time these tests make: every directory counts as settled. */
const SETTLED = Date.now() + 3_600_000

/** Returns once the file system's clock has moved past the last change in `dir` (its times are coarse). */
function nextTick(dir: string): void {
  const probe = path.join(dir, '.tick')
  fs.writeFileSync(probe, '')
  const first = fs.statSync(probe).mtimeMs
  while (fs.statSync(probe).mtimeMs === first) fs.writeFileSync(probe, '')
  fs.rmSync(probe)
}

/** The entry a probe leaves (reading the lockfiles when it must, as the gc does). */
function probe(dir: string, cached: ProjectEntry | undefined, settledBefore = SETTLED): { entry: ProjectEntry; files: string[] } {
  const found = probeProject(dir, cached, Date.now(), settledBefore)
  if ('state' in found) {
    const state: ProjectState = found.state
    return { entry: state.entry!, files: state.report.lockfiles }
  }
  return { entry: { names: ['x'], lockfiles: found.job.stamps, checkedAt: '', source: 'access', dirStamp: found.job.dirStamp }, files: found.job.files }
}

test('an unchanged directory is not listed again; its stamp and lockfiles stay', () => {
  const dir = npmProject(path.join(tempDir(), 'p'), ['a'])
  const first = probe(dir, undefined)
  expect(first.entry.dirStamp).toEqual({ dev: expect.any(Number), ino: expect.any(Number), mtimeMs: expect.any(Number), ctimeMs: expect.any(Number), nodeModules: null })
  const listing = jest.spyOn(fs, 'readdirSync')
  const second = probeProject(dir, first.entry, Date.now(), SETTLED)
  expect(listing).not.toHaveBeenCalled()
  expect('state' in second && second.state.entry).toBe(first.entry)
  expect('state' in second && second.state.report.lockfiles).toEqual([path.join(dir, 'package-lock.json')])
})

test('whatever changes between two probes, the probe finds what a listing finds', () => {
  const dir = npmProject(path.join(tempDir(), 'p'), ['a'])
  const lockfileText = fs.readFileSync(path.join(dir, 'package-lock.json'))
  const steps: Array<[string, () => void]> = [
    ['add yarn.lock', () => fs.writeFileSync(path.join(dir, 'yarn.lock'), '')],
    ['make node_modules', () => fs.mkdirSync(path.join(dir, 'node_modules'))],
    ['hidden lockfile appears', () => fs.writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), lockfileText)],
    ['an unrelated file in node_modules', () => fs.writeFileSync(path.join(dir, 'node_modules', 'x'), '')],
    ['hidden lockfile goes', () => fs.rmSync(path.join(dir, 'node_modules', '.package-lock.json'))],
    ['hidden lockfile back', () => fs.writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), lockfileText)],
    ['node_modules replaced by a link to a directory without it', () => {
      fs.rmSync(path.join(dir, 'node_modules'), { recursive: true })
      fs.mkdirSync(path.join(dir, 'elsewhere'))
      fs.symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'node_modules'))
    }],
    ['hidden lockfile appears behind the link', () => fs.writeFileSync(path.join(dir, 'elsewhere', '.package-lock.json'), lockfileText)],
    ['remove yarn.lock', () => fs.rmSync(path.join(dir, 'yarn.lock'))],
    ['package-lock.json renamed over by a new one', () => {
      fs.writeFileSync(path.join(dir, 'new.json'), lockfileText)
      fs.renameSync(path.join(dir, 'new.json'), path.join(dir, 'package-lock.json'))
    }],
    ['add pnpm-lock.yaml', () => fs.writeFileSync(path.join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n")],
    ['an unrelated file at the top', () => fs.writeFileSync(path.join(dir, 'README'), '')],
  ]
  let { entry } = probe(dir, undefined)
  for (const [what, step] of steps) {
    nextTick(dir)
    step()
    const got = probe(dir, entry)
    expect([what, got.files]).toEqual([what, lockfilesIn(dir)])
    entry = got.entry
    // And once more, unchanged: the stamp alone must give the same.
    expect([what, probe(dir, entry).files]).toEqual([what, lockfilesIn(dir)])
  }
})

test('a stamp with forged paths, other times or a bad shape proves nothing, and its paths are never looked at', () => {
  const dir = npmProject(path.join(tempDir(), 'p'), ['a'])
  const { entry } = probe(dir, undefined)
  const stat = fs.statSync(dir)
  const own = [path.join(dir, 'package-lock.json')]
  expect(unchangedLockfiles(dir, stat, entry.dirStamp, own)).toEqual(own)
  for (const files of [['/etc/passwd'], [path.join(dir, '..', 'p2', 'package-lock.json')], [...own, ...own], [path.join(dir, 'yarn.lock'), ...own], [path.join(dir, 'x.json')]]) {
    expect(unchangedLockfiles(dir, stat, entry.dirStamp, files)).toBeNull()
  }
  const stamp = entry.dirStamp!
  for (const bad of [undefined, null, 7, 'x', {}, { ...stamp, mtimeMs: stamp.mtimeMs + 1 }, { ...stamp, ctimeMs: 'x' }, { ...stamp, nodeModules: undefined }, { ...stamp, nodeModules: { mtimeMs: 1 } }]) {
    expect(unchangedLockfiles(dir, stat, bad, own)).toBeNull()
  }
  // Through the probe: a forged entry makes it list the directory, never stat the forged path.
  const looked = jest.spyOn(fs, 'statSync')
  const forged = { ...entry, lockfiles: [{ path: '/etc/passwd', size: 1, mtimeMs: 1 }] }
  expect(probe(dir, forged).files).toEqual(own)
  expect(looked.mock.calls.map(([file]) => file)).not.toContain('/etc/passwd')
})

const stampOf = (dir: string, settledBefore = SETTLED) => settledStamp(stampBeforeListing(dir, fs.statSync(dir)), settledBefore)
const timesOf = (stat: fs.Stats): DirTimes => ({ dev: stat.dev, ino: stat.ino, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs })

test('no stamp for a directory (or node_modules) changed within 2 s of the run, or a node_modules that cannot be followed', () => {
  const dir = npmProject(path.join(tempDir(), 'p'), ['a'])
  const stat = fs.statSync(dir)
  expect(stampOf(dir, Date.now())).toBeUndefined()
  expect(stampOf(dir, Math.max(stat.ctimeMs, stat.mtimeMs) + 2_001)).toBeDefined()
  fs.mkdirSync(path.join(dir, 'node_modules'))
  const modules = fs.statSync(path.join(dir, 'node_modules'))
  const later = fs.statSync(dir)
  expect(stampOf(dir, Math.max(later.ctimeMs, later.mtimeMs) + 2_001)).toEqual({ ...timesOf(later), nodeModules: timesOf(modules) })
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true })
  fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'node_modules'))
  expect(stampOf(dir)).toBeUndefined()
})

test('node_modules is stamped before the listing: a hidden lockfile made during it shows next run', () => {
  const dir = npmProject(path.join(tempDir(), 'p'), ['a'])
  fs.mkdirSync(path.join(dir, 'node_modules'))
  nextTick(dir)
  const before = stampBeforeListing(dir, fs.statSync(dir))
  const listed = lockfilesIn(dir)
  fs.writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), fs.readFileSync(path.join(dir, 'package-lock.json')))
  expect(unchangedLockfiles(dir, fs.statSync(dir), settledStamp(before, SETTLED), listed)).toBeNull()
})

test('another directory with the same times proves nothing: node_modules retargeted to a twin, the project swapped for one', () => {
  const tmp = tempDir()
  const dir = npmProject(path.join(tmp, 'p'), ['a'])
  // node_modules -> ../current -> A; then current -> B, which holds a hidden lockfile. Outside the project: its times stay.
  for (const twin of ['A', 'B']) fs.mkdirSync(path.join(tmp, twin))
  fs.writeFileSync(path.join(tmp, 'B', '.package-lock.json'), fs.readFileSync(path.join(dir, 'package-lock.json')))
  fs.symlinkSync(path.join(tmp, 'A'), path.join(tmp, 'current'))
  fs.symlinkSync(path.join(tmp, 'current'), path.join(dir, 'node_modules'))
  const own = [path.join(dir, 'package-lock.json')]
  const stamp = stampOf(dir)!
  expect(unchangedLockfiles(dir, fs.statSync(dir), stamp, own)).toEqual(own)
  fs.rmSync(path.join(tmp, 'current'))
  fs.symlinkSync(path.join(tmp, 'B'), path.join(tmp, 'current'))
  expect(lockfilesIn(dir)).toEqual([...own, path.join(dir, 'node_modules', '.package-lock.json')])
  // Twins made in one clock tick (or with fixed times) have the same times: only the inode tells them apart.
  const twin = { ...stamp, nodeModules: { ...timesOf(fs.statSync(path.join(tmp, 'B'))), dev: stamp.nodeModules!.dev, ino: stamp.nodeModules!.ino } }
  expect(unchangedLockfiles(dir, fs.statSync(dir), twin, own)).toBeNull()
  // The project directory itself swapped for a twin by rename.
  const copy = npmProject(path.join(tmp, 'p-copy'), ['a'])
  const swapped = { ...stamp, ...timesOf(fs.statSync(copy)), dev: stamp.dev, ino: stamp.ino }
  expect(unchangedLockfiles(copy, fs.statSync(copy), swapped, [path.join(copy, 'package-lock.json')])).toBeNull()
})

test('a registry entry with junk among its lockfile stamps is probed by listing, never a crash', () => {
  const dir = npmProject(path.join(tempDir(), 'p'), ['a'])
  const { entry } = probe(dir, undefined)
  for (const junk of [null, 7, 'x', { size: 1 }]) {
    const forged = { ...entry, lockfiles: [junk, ...entry.lockfiles] } as unknown as ProjectEntry
    expect(probe(dir, forged).files).toEqual([path.join(dir, 'package-lock.json')])
    const sameLength = { ...entry, lockfiles: entry.lockfiles.map(() => junk) } as unknown as ProjectEntry
    expect(probe(dir, sameLength).files).toEqual([path.join(dir, 'package-lock.json')])
  }
})

test("a hook's entry (no lockfiles, no stamp) for the same names does not count as a change over a stamped one", () => {
  const dir = npmProject(path.join(tempDir(), 'p'), ['a'])
  const { entry } = probe(dir, undefined)
  expect(entry.dirStamp).toBeDefined()
  const hook: ProjectEntry = { names: entry.names, lockfiles: [], checkedAt: 'later', source: entry.source }
  expect(registryChanged({ version: 1, projects: { [dir]: entry } }, { version: 1, projects: { [dir]: hook } })).toBe(false)
  const unstamped = { ...entry, dirStamp: undefined }
  expect(registryChanged({ version: 1, projects: { [dir]: unstamped } }, { version: 1, projects: { [dir]: entry } })).toBe(true)
})

test('the install-time sweep records the stamps it can keep when it saves the registry, so a store the hook alone looks after has them', () => {
  const root = path.join(tempDir(), 'store')
  const base = tempDir()
  const p1 = npmProject(path.join(base, 'p1'), ['a'])
  const p2 = npmProject(path.join(base, 'p2'), ['b'])
  for (const project of [p1, p2]) recordUse(root, { owner: 'b', key: 'cache' }, project)
  makeSpace(root, 'b', 'cache')
  // The projects left alone long before the run (their change times cannot be set back).
  mockClockAhead = 3_600_000
  const report = scopedSweep({ projectDir: p1, names: ['p1'], root })
  expect(report.warnings).toEqual([])
  const saved = loadRegistry(root)
  if (saved.state !== 'ok') throw new Error(`registry: ${saved.state}`)
  expect(saved.value.projects[p2].dirStamp).toEqual(expect.objectContaining({ ino: fs.statSync(p2).ino }))
  expect(saved.value.projects[p1].dirStamp).toBeUndefined() // the hook's own entry: names from its lockfile object
  expect(fs.existsSync(path.join(root, 'b', 'cache'))).toBe(true) // p2 still lists b
})
