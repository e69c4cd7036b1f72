import fs from 'node:fs'
import path from 'node:path'
import { runGc } from '../../src/gc'
import { markRunStart } from '../../src/gc/clock'
import { acquireLock } from '../../src/store/lock'
import { useSandbox } from '../runtime/support'
import { makeSpace, npmProject, recordUse } from './support'
import { bookkeepingDir, trashDir } from '../../src/runtime/layout'

describe('gc race guard and store lock', () => {
  const box = useSandbox()

  /** Runs `action` once, just before the gc first looks at `target` (a concurrent process's timing, made deterministic). */
  function beforeFirstLook(target: string, action: () => void): void {
    const realLstat = fs.lstatSync
    let done = false
    jest.spyOn(fs, 'lstatSync').mockImplementation(((file: fs.PathLike, opts?: fs.StatSyncOptions) => {
      if (!done && String(file) === target) { done = true; action() }
      return realLstat(file, opts)
    }) as typeof fs.lstatSync)
  }

  function orphanedSpace(): { space: string; p1: string } {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-b'])
    const space = makeSpace(box.store, 'pkg-a', 'cache')
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1, Date.now() - 60_000)
    return { space, p1 }
  }

  test('a space with an access record appended during the run survives it', async () => {
    const { space, p1 } = orphanedSpace()
    beforeFirstLook(space, () => recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1))
    const report = await runGc()
    expect(report.spaces[0]).toMatchObject({ owner: 'pkg-a', verdict: 'orphaned', action: 'keep', reason: 'used during this gc run' })
    expect(fs.existsSync(space)).toBe(true)
  })

  test('a record appended during the run with a time from before it (a writer descheduled between taking the time and appending) counts as a use during the run', async () => {
    const { space, p1 } = orphanedSpace()
    beforeFirstLook(space, () => recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1, Date.now() - 5_000))
    const report = await runGc()
    expect(report.spaces[0]).toMatchObject({ owner: 'pkg-a', verdict: 'orphaned', action: 'keep', reason: 'used during this gc run' })
    expect(fs.existsSync(space)).toBe(true)
  })

  test('the run starts in a later millisecond than it was called in: a record written just before is not taken for a use during it', () => {
    // Records carry whole milliseconds; on a file system whose stamps move at once, the wait for
    // the file clock can end in the millisecond the run was called in.
    for (let i = 0; i < 200; i++) {
      const before = Date.now()
      const start = markRunStart(box.store)
      expect(start.wallMs).toBeGreaterThan(before)
    }
  })

  test('a wall clock set back an hour while the run starts does not hold it (the waits are bounded on the monotonic clock)', () => {
    const realNow = Date.now
    let calls = 0
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() - (calls++ === 0 ? 0 : 3_600_000))
    const began = performance.now()
    markRunStart(box.store)
    expect(performance.now() - began).toBeLessThan(1_000)
  })

  test('a space last used in the millisecond before the run is judged as any other (not kept as used during the run)', async () => {
    const { p1 } = orphanedSpace()
    for (let i = 0; i < 10; i++) {
      const space = makeSpace(box.store, 'pkg-a', 'cache')
      recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1)
      expect((await runGc()).spaces[0]).toMatchObject({ owner: 'pkg-a', verdict: 'orphaned', action: 'deleted' })
      expect(fs.existsSync(space)).toBe(false)
    }
  })

  test('a space created during the run survives it', async () => {
    const { space } = orphanedSpace()
    beforeFirstLook(space, () => { fs.rmSync(space, { recursive: true }); fs.mkdirSync(space) })
    const report = await runGc()
    expect(report.spaces[0].action).toBe('keep')
    expect(fs.existsSync(space)).toBe(true)
  })

  test('without interference the same space is deleted (the guard is what kept it)', async () => {
    const { space } = orphanedSpace()
    expect((await runGc()).spaces[0].action).toBe('deleted')
    expect(fs.existsSync(space)).toBe(false)
  })

  test('two gc runs at once: the second waits, then fails with ERR_SCRATCH_LOCKED naming the holder', async () => {
    orphanedSpace()
    const held = await acquireLock(box.store, { command: 'test holder' })
    try {
      await expect(runGc({ lockWaitMs: 200 })).rejects.toMatchObject({
        code: 'ERR_SCRATCH_LOCKED', message: expect.stringContaining(`pid ${process.pid}`), hint: expect.stringContaining(held.path),
      })
      expect(fs.existsSync(path.join(box.store, 'pkg-a', 'cache'))).toBe(true)
    } finally {
      held.release()
    }
    expect((await runGc()).spaces[0].action).toBe('deleted')
  })

  test('a waiting gc proceeds once the holder releases', async () => {
    orphanedSpace()
    const held = await acquireLock(box.store)
    setTimeout(() => held.release(), 150)
    const report = await runGc({ lockWaitMs: 5_000 })
    expect(report.spaces[0].action).toBe('deleted')
  })

  test('a stale lock left by a dead process is taken over', async () => {
    orphanedSpace()
    const lockDir = path.join(bookkeepingDir(box.store), 'lock')
    fs.mkdirSync(lockDir, { recursive: true })
    // A pid that cannot be alive: above the kernel's pid_max.
    fs.writeFileSync(path.join(lockDir, 'owner.json'), JSON.stringify({ pid: 4_194_305, host: require('node:os').hostname(), since: new Date().toISOString(), command: 'crashed gc' }))
    const report = await runGc({ lockWaitMs: 0 })
    expect(report.spaces[0].action).toBe('deleted')
    expect(fs.existsSync(lockDir)).toBe(false)
  })

  test('trash left by a crashed run is emptied by the next run', async () => {
    fs.mkdirSync(path.join(trashDir(box.store), 'x-crashed', 'deep'), { recursive: true })
    fs.writeFileSync(path.join(trashDir(box.store), 'x-crashed', 'deep', 'f'), 'x')
    await runGc()
    expect(fs.readdirSync(trashDir(box.store))).toEqual([])
  })
})
