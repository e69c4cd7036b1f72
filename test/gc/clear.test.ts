import fs from 'node:fs'
import path from 'node:path'
import { clearSpaces } from '../../src/gc'
import { useSandbox } from '../runtime/support'
import { makeSpace } from './support'
import { BOOKKEEPING_DIR } from '../../src/runtime/layout'

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
