/**
 * Faults: errno values injected in-process (jest.spyOn on the fs function, throwing an Error with
 * that `code`) on the operations that can hit them. Each must end in a coded error or a warning,
 * lose no data, and leave a store the next run handles as if nothing had happened.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runGc, scopedSweep } from '../../src/gc'
import { main } from '../../src/cli/main'
import type { Io } from '../../src/cli/io'
import { acquireLock, lockPath, tryAcquireLock } from '../../src/store/lock'
import { makeSpace, npmProject, recordUse } from '../gc/support'
import { captureStderr, errnoError, freshRuntime, useSandbox } from '../runtime/support'
import { figure, leftovers, stateFiles } from './support'
import { accessLogPath, bookkeepingDir, trashDir } from '../../src/runtime/layout'

const box = useSandbox()

type FsMethod = 'openSync' | 'writeSync' | 'renameSync' | 'rmSync' | 'mkdirSync' | 'unlinkSync'

/**
 * Makes `fs[method]` throw `code` whenever `when(first argument, second argument)` holds; the
 * other calls go through. Returns how many times it threw.
 */
function inject(method: FsMethod, code: string, when: (a: unknown, b: unknown) => boolean): { hits: number } {
  const original = fs[method] as (...args: unknown[]) => unknown
  const counter = { hits: 0 }
  jest.spyOn(fs, method).mockImplementation(((...args: unknown[]) => {
    if (when(args[0], args[1])) {
      counter.hits++
      throw errnoError(code, method.replace('Sync', ''))
    }
    return original(...args)
  }) as never)
  return counter
}

const tally = { injected: 0, dataLost: 0, uncoded: 0, nextRunProblems: 0 }
afterAll(() => {
  figure(`faults: ${tally.injected} injected errno failures (EACCES, EPERM, ENOSPC, EXDEV, EBUSY, EROFS, EDQUOT, EIO) across log, registry, ` +
    `trash rename, rm and lock; ${tally.dataLost} live spaces lost, ${tally.uncoded} uncoded errors, ${tally.nextRunProblems} next-run problems`)
})

/** A store with a registered project P using live-a, an orphaned space of dead-b used from P, and an earlier run's state. */
async function world(): Promise<{ p1: string; live: string; orphan: string }> {
  const p1 = npmProject(path.join(box.tmp, 'p1'), ['live-a'])
  const live = makeSpace(box.store, 'live-a', 'cache', 500)
  recordUse(box.store, { owner: 'live-a', key: 'cache' }, p1, Date.now() - 60_000)
  await runGc()
  // The project gains a package since that gc, so the next one has a registry to write (a gc
  // that changed nothing writes none).
  npmProject(p1, ['live-a', 'live-c'])
  const orphan = makeSpace(box.store, 'dead-b', 'cache', 700)
  recordUse(box.store, { owner: 'dead-b', key: 'cache' }, p1, Date.now() - 60_000)
  return { p1, live, orphan }
}

function liveIntact(live: string): boolean {
  const ok = fs.existsSync(path.join(live, 'data.bin')) && fs.statSync(path.join(live, 'data.bin')).size === 500
  if (!ok) tally.dataLost++
  return ok
}

/** The next run without faults: clean, orphan deleted, nothing left behind. */
async function nextRunClean(live: string, orphan: string): Promise<void> {
  jest.restoreAllMocks()
  const report = await runGc()
  const problems = [
    ...report.spaces.filter((s) => s.action === 'failed').map((s) => `failed ${s.path}`),
    ...(fs.existsSync(orphan) ? ['orphan survived'] : []),
    ...leftovers(box.store),
    ...(stateFiles(box.store).registry === 'ok' ? [] : ['registry not ok']),
  ]
  if (problems.length > 0) tally.nextRunProblems++
  expect(problems).toEqual([])
  expect(liveIntact(live)).toBe(true)
}

function expectCoded(err: unknown): void {
  const code = (err as { code?: unknown }).code
  if (typeof code !== 'string') tally.uncoded++
  expect(code).toEqual(expect.stringMatching(/^(E[A-Z]+|ERR_SCRATCH_[A-Z_]+)$/))
}

describe('access-log append (getScratch must keep working, and warn once)', () => {
  const logFile = (): string => accessLogPath(box.store)
  // EXDEV cannot hit an append (nothing crosses a filesystem); EBUSY is what Windows gives for a log another process has locked.
  test.each([
    ['openSync', 'EACCES'], ['openSync', 'EPERM'], ['openSync', 'EROFS'], ['openSync', 'ENOSPC'], ['openSync', 'EDQUOT'], ['openSync', 'EBUSY'],
    ['writeSync', 'ENOSPC'], ['writeSync', 'EDQUOT'], ['writeSync', 'EIO'], ['writeSync', 'EBUSY'],
  ] as const)('%s of the log fails with %s: existing and new spaces still returned, one warning', (method, code) => {
    const rt = freshRuntime()
    const existing = rt.getScratch('k', { name: 'p' })
    fs.writeFileSync(path.join(existing, 'data'), 'keep')
    const global = rt.getGlobalScratch('g')
    const stderr = captureStderr()
    let fd: number | null = null
    const realOpen = fs.openSync
    if (method === 'writeSync') {
      // Fail the write on the log's descriptor only.
      jest.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
        const opened = (realOpen as (...a: unknown[]) => number)(file, ...rest)
        if (String(file) === logFile()) fd = opened
        return opened
      }) as typeof fs.openSync)
    }
    const hits = method === 'openSync'
      ? inject('openSync', code, (file) => String(file) === logFile())
      : inject('writeSync', code, (target) => target === fd)
    // New callers force a record for the existing spaces; a missing space is created anyway.
    expect(rt.getScratch('k', { name: 'p' }, { caller: { name: 'q' } })).toBe(existing)
    expect(rt.getGlobalScratch('g', { caller: { name: 'q' } })).toBe(global)
    const created = rt.getScratch('new', { name: 'p' })
    expect(fs.statSync(created).isDirectory()).toBe(true)
    expect(fs.readFileSync(path.join(existing, 'data'), 'utf8')).toBe('keep')
    expect(hits.hits).toBeGreaterThanOrEqual(3)
    tally.injected += hits.hits
    expect(stderr).toHaveLength(1)
    expect(stderr[0]).toMatch(new RegExp(`^pnpm-plugin-scratch: warning: .*${code}.*SCRATCHSPACE_DIR`))
  })
})

describe('registry write during gc (coded error or warning, nothing lost, next run fine)', () => {
  const isRegistryTemp = (file: unknown): boolean => /\.registry\.json\.\d+\.[a-z0-9]+\.tmp$/.test(String(file))
  const isRegistry = (_from: unknown, to: unknown): boolean => String(to) === path.join(bookkeepingDir(box.store), 'registry.json')

  // A full disk is weather: the run finishes and warns. Any other failure to save is an error the
  // caller sees, carrying the errno code.
  const full = (code: string): string => `warnings: the disk is full (${code}): the store's state was not updated; the next run catches up`
  test.each([
    ['openSync', 'ENOSPC', full('ENOSPC')], ['openSync', 'EDQUOT', full('EDQUOT')], ['openSync', 'EACCES', 'error'], ['openSync', 'EROFS', 'error'],
    ['renameSync', 'EBUSY', 'error'], ['renameSync', 'EPERM', 'error'], ['renameSync', 'EACCES', 'error'],
  ] as const)('%s of the registry fails with %s: %s', async (method, code, expected) => {
    const { live, orphan } = await world()
    const before = fs.readFileSync(path.join(bookkeepingDir(box.store), 'registry.json'), 'utf8')
    const hits = method === 'openSync' ? inject('openSync', code, isRegistryTemp) : inject('renameSync', code, isRegistry)
    let outcome: string
    try {
      const report = await runGc()
      outcome = `warnings: ${report.warnings.join('; ')}`
    } catch (err) {
      expectCoded(err)
      expect((err as NodeJS.ErrnoException).code).toBe(code)
      outcome = 'error'
    }
    expect(outcome).toBe(expected)
    tally.injected += hits.hits
    expect(hits.hits).toBe(1)
    // The old registry is still there and whole; no temp file is left; the live space is intact.
    expect(fs.readFileSync(path.join(bookkeepingDir(box.store), 'registry.json'), 'utf8')).toBe(before)
    expect(leftovers(box.store)).toEqual([])
    expect(liveIntact(live)).toBe(true)
    await nextRunClean(live, orphan)
  })

  test.each(['ENOSPC', 'EACCES', 'EBUSY'])('the scoped sweep (gc --project) with a registry write failing %s exits 0 with one warning line', async (code) => {
    const { p1, live, orphan } = await world()
    inject('renameSync', code, isRegistry)
    const err: string[] = []
    const io: Io = { stdout: () => undefined, stderr: (t) => { err.push(t) }, interactive: false, color: false, confirm: async () => false, env: process.env, cwd: p1 }
    expect(await main(['gc', '--project', p1], io)).toBe(0)
    tally.injected++
    expect(err.join('').trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^scratch: warning: .*${code}`))])
    expect(liveIntact(live)).toBe(true)
    // In-process, the same sweep reports the failure as a coded error.
    let thrown: unknown = null
    try {
      scopedSweep({ projectDir: p1 })
    } catch (e) {
      thrown = e
    }
    if (thrown !== null) expectCoded(thrown)
    await nextRunClean(live, orphan)
  })
})

describe('rename of a space into the trash', () => {
  const intoTrash = (_from: unknown, to: unknown): boolean => String(to).startsWith(trashDir(box.store) + path.sep)

  test('EXDEV (trash on another filesystem) falls back to a rename next to the space, then removes it', async () => {
    const { live, orphan } = await world()
    const hits = inject('renameSync', 'EXDEV', intoTrash)
    const report = await runGc()
    tally.injected += hits.hits
    expect(hits.hits).toBe(1)
    expect(report.spaces.find((s) => s.path === orphan)).toMatchObject({ action: 'deleted', bytes: 700 })
    expect(report.freedBytes).toBe(700)
    expect(fs.existsSync(orphan)).toBe(false)
    expect(leftovers(box.store)).toEqual([])
    expect(liveIntact(live)).toBe(true)
    await nextRunClean(live, orphan)
  })

  test.each(['EBUSY', 'EPERM', 'EACCES'])('%s: the space is reported failed, stays whole, and the next run deletes it', async (code) => {
    const { live, orphan } = await world()
    const hits = inject('renameSync', code, intoTrash)
    const report = await runGc()
    tally.injected += hits.hits
    const entry = report.spaces.find((s) => s.path === orphan)
    expect(entry).toMatchObject({ action: 'failed', reason: expect.stringContaining(code) })
    expect(report.freedBytes).toBe(0)
    expect(fs.readFileSync(path.join(orphan, 'data.bin'))).toEqual(Buffer.alloc(700, 1))
    expect(liveIntact(live)).toBe(true)
    await nextRunClean(live, orphan)
  })
})

describe('rm of a space already in the trash', () => {
  const inTrash = (target: unknown): boolean => String(target).startsWith(trashDir(box.store) + path.sep)

  test.each(['EBUSY', 'EPERM', 'EACCES', 'ENOTEMPTY'])('%s: the space is gone from view and reported deleted; the next run empties the trash', async (code) => {
    const { live, orphan } = await world()
    // Removal unlinks file by file (no recursion), so the failure is injected there.
    const hits = inject('unlinkSync', code, inTrash)
    const report = await runGc()
    tally.injected += hits.hits
    expect(hits.hits).toBeGreaterThanOrEqual(1)
    expect(report.spaces.find((s) => s.path === orphan)).toMatchObject({ action: 'deleted', reason: expect.stringContaining(code) })
    expect(report.freedBytes).toBe(700)
    expect(fs.existsSync(orphan)).toBe(false)
    expect(fs.readdirSync(trashDir(box.store))).toHaveLength(1)
    expect(liveIntact(live)).toBe(true)
    await nextRunClean(live, orphan)
  })

  test('deleteScratch with rm failing EBUSY: true, gone from view, the next gc empties the trash', async () => {
    const { live, orphan } = await world()
    const rt = freshRuntime()
    const victim = rt.getScratch('victim', { name: 'live-a' })
    fs.writeFileSync(path.join(victim, 'f'), 'x')
    const hits = inject('unlinkSync', 'EBUSY', inTrash)
    expect(rt.deleteScratch('victim', { name: 'live-a' })).toBe(true)
    tally.injected += hits.hits
    expect(fs.existsSync(victim)).toBe(false)
    await nextRunClean(live, orphan)
  })
})

describe('store lock', () => {
  const ownerFile = (): string => path.join(lockPath(box.store), 'owner.json')
  /** A lock dir with `owner` as its owner file (null: none), its mtime `ageMs` ago. */
  const writeLock = (owner: object | string | null, ageMs = 0): void => {
    fs.mkdirSync(lockPath(box.store), { recursive: true })
    if (owner !== null) fs.writeFileSync(ownerFile(), typeof owner === 'string' ? owner : JSON.stringify(owner))
    const when = new Date(Date.now() - ageMs)
    fs.utimesSync(lockPath(box.store), when, when)
  }

  test.each<[string, object | string | null, number]>([
    ['a dead pid on this host', { pid: 4_194_305, host: os.hostname(), since: new Date().toISOString(), command: 'gc' }, 0],
    ['no owner file, older than 10 s (crash between mkdir and write)', null, 11_000],
    ['an empty owner file, older than 10 s (crash between open and write)', '', 11_000],
    ['a garbage owner file, older than 10 s', '{"pid": 12', 11_000],
    ['another host, older than an hour', { pid: 1, host: 'elsewhere', since: new Date(0).toISOString(), command: 'gc' }, 2 * 3_600_000],
  ])('a stale lock (%s) is taken over', async (_label, owner, ageMs) => {
    const { live, orphan } = await world()
    writeLock(owner, ageMs)
    const report = await runGc({ lockWaitMs: 0 })
    expect(report.spaces.find((s) => s.path === orphan)?.action).toBe('deleted')
    expect(fs.existsSync(lockPath(box.store))).toBe(false)
    expect(leftovers(box.store)).toEqual([])
    expect(liveIntact(live)).toBe(true)
  })

  test.each<[string, object | string | null, number]>([
    ['a live pid on this host', { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), command: 'gc' }, 0],
    ['another host, fresh (its pid cannot be checked)', { pid: 1, host: 'elsewhere', since: new Date().toISOString(), command: 'gc' }, 0],
    ['no owner file yet, fresh (a creator between mkdir and write)', null, 0],
  ])('a lock held by %s is respected: ERR_SCRATCH_LOCKED, nothing deleted', async (_label, owner, ageMs) => {
    const { live, orphan } = await world()
    writeLock(owner, ageMs)
    await expect(runGc({ lockWaitMs: 100 })).rejects.toMatchObject({ code: 'ERR_SCRATCH_LOCKED', hint: expect.stringContaining(lockPath(box.store)) })
    expect(fs.existsSync(orphan)).toBe(true)
    expect(liveIntact(live)).toBe(true)
    fs.rmSync(lockPath(box.store), { recursive: true })
  })

  test('two processes taking over the same stale lock: the slower one does not steal the winner\'s fresh lock', async () => {
    await world()
    writeLock({ pid: 4_194_305, host: os.hostname(), since: new Date().toISOString(), command: 'dead gc' })
    const realRename = fs.renameSync
    let raced = false
    jest.spyOn(fs, 'renameSync').mockImplementation(((from: fs.PathLike, to: fs.PathLike) => {
      if (!raced && String(from) === lockPath(box.store)) {
        raced = true
        // Between this process's staleness check and its rename, another process (here: our
        // parent, alive) takes the stale lock over and holds a fresh one.
        realRename(lockPath(box.store), path.join(bookkeepingDir(box.store), '.other-aside.tmp'))
        fs.rmSync(path.join(bookkeepingDir(box.store), '.other-aside.tmp'), { recursive: true })
        fs.mkdirSync(lockPath(box.store))
        fs.writeFileSync(ownerFile(), JSON.stringify({ pid: process.ppid, host: os.hostname(), since: new Date().toISOString(), command: 'winner' }))
      }
      return realRename(from, to)
    }) as typeof fs.renameSync)
    const lock = tryAcquireLock(box.store, 'loser')
    expect(raced).toBe(true)
    lock?.release()
    expect(lock).toBeNull()
    expect(JSON.parse(fs.readFileSync(ownerFile(), 'utf8'))).toMatchObject({ pid: process.ppid, command: 'winner' })
    fs.rmSync(lockPath(box.store), { recursive: true })
  })

  test('a lock released by its holder is free for the next run at once', async () => {
    await world()
    const held = await acquireLock(box.store, { command: 'holder' })
    setTimeout(() => held.release(), 100)
    await expect(runGc({ lockWaitMs: 5_000 })).resolves.toMatchObject({ dryRun: false })
  })
})
