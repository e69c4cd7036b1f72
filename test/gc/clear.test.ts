import fs from 'node:fs'
import path from 'node:path'
import { clearSpaces } from '../../src/gc'
import { useSandbox } from '../runtime/support'
import { makeSpace } from './support'
import { BOOKKEEPING_DIR, bookkeepingDir, CACHEDIR_TAG } from '../../src/runtime/layout'

describe('clearSpaces', () => {
  const box = useSandbox()

  test('clears the named owners only, validating names before touching anything', async () => {
    makeSpace(box.store, 'pkg-a', 'one', 10)
    makeSpace(box.store, '@scope/pkg-b', 'two', 20)
    makeSpace(box.store, 'pkg-c', 'three', 30)
    await expect(clearSpaces({ owners: ['pkg-a', 'Bad Name'] })).rejects.toMatchObject({ code: 'ERR_SCRATCH_INVALID_OWNER' })
    expect(fs.existsSync(path.join(box.store, 'pkg-a', 'one'))).toBe(true)
    const report = await clearSpaces({ owners: ['pkg-a', '@scope/pkg-b'] })
    expect(report.spaces.map((s) => [s.owner, s.key, s.action])).toEqual([['pkg-a', 'one', 'deleted'], ['@scope/pkg-b', 'two', 'deleted']])
    expect(report.freedBytes).toBe(30)
    expect(fs.readdirSync(box.store).sort()).toEqual([BOOKKEEPING_DIR, 'pkg-c'])
  })

  test('clear --all takes the batched path: every space is out of sight before the first trash copy is removed, then the trash is empty', async () => {
    for (let i = 0; i < 12; i++) makeSpace(box.store, `pkg-${i % 3}`, `space-${i}`, 10)
    // An entry left in the trash by an earlier, interrupted run goes too.
    fs.mkdirSync(path.join(bookkeepingDir(box.store), 'trash', 'left-earlier'), { recursive: true })
    const trash = path.join(bookkeepingDir(box.store), 'trash')
    const seen: { done: number; onDisk: number; inTrash: number }[] = []
    const report = await clearSpaces({
      all: true,
      onProgress: (done) => {
        const onDisk = fs.readdirSync(box.store).filter((name) => name.startsWith('pkg-'))
          .reduce((sum, ns) => sum + (fs.existsSync(path.join(box.store, ns)) ? fs.readdirSync(path.join(box.store, ns)).length : 0), 0)
        seen.push({ done, onDisk, inTrash: fs.readdirSync(trash).length })
      },
    })
    expect(report.spaces.filter((s) => s.action === 'deleted')).toHaveLength(12)
    expect(report.freedBytes).toBe(120)
    // After the i-th rename: 12 - i spaces left, and every renamed one still in the trash (plus the old entry).
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => ({ done: i + 1, onDisk: 11 - i, inTrash: i + 2 })))
    expect(fs.readdirSync(trash)).toEqual([])
    expect(fs.readdirSync(box.store).sort()).toEqual([BOOKKEEPING_DIR, CACHEDIR_TAG])
  })

  test('a space moved to the trash counts as deleted even when removing the trash copy fails', async () => {
    makeSpace(box.store, 'pkg-a', 'one', 10)
    const realUnlink = fs.unlinkSync
    jest.spyOn(fs, 'unlinkSync').mockImplementation(((file: fs.PathLike) => {
      if (String(file).includes(`${path.sep}trash${path.sep}`)) throw Object.assign(new Error('EBUSY: resource busy'), { code: 'EBUSY' })
      return realUnlink(file)
    }) as typeof fs.unlinkSync)
    const report = await clearSpaces({ owners: ['pkg-a'] })
    expect(report.spaces[0]).toMatchObject({ action: 'deleted', reason: expect.stringContaining('EBUSY') })
    expect(fs.existsSync(path.join(box.store, 'pkg-a', 'one'))).toBe(false)
  })
})
