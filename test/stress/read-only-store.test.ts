/**
 * A read-only store, for real: the store directory bind-mounted read-only onto itself. Existing
 * spaces keep working; a new space is ERR_SCRATCH_NOT_WRITABLE (never the raw ENOENT Node's
 * recursive mkdir reports there); deleting a space that is there but cannot be deleted is an
 * error, never "nothing to delete".
 */
import fs from 'node:fs'
import path from 'node:path'
import { mountReadOnly } from '../helpers/mounts'
import { captureStderr, freshRuntime, useSandbox } from '../runtime/support'
import { buildSnapshot, figure, removeSnapshot, scratchCli, type Snapshot } from './support'

const box = useSandbox()
let snapshot: Snapshot | undefined
beforeAll(async () => { snapshot = await buildSnapshot() })
afterAll(() => removeSnapshot(snapshot))

/**
 * Runs `body` over a store with the space pkg-a/k (one file) and an access log, mounted
 * read-only; unmounted before the sandbox is removed. Skips, saying why, where the machine cannot mount.
 */
async function withReadOnlyStore(body: () => Promise<void>): Promise<void> {
  const rt = freshRuntime()
  fs.writeFileSync(path.join(rt.getScratch('k', { name: 'pkg-a' }), 'f'), 'x')
  const unmount = mountReadOnly(box.store)
  if (typeof unmount === 'string') {
    console.log(`skipped: ${unmount}`)
    return
  }
  try {
    expect(() => fs.writeFileSync(path.join(box.store, 'probe'), '')).toThrow(expect.objectContaining({ code: 'EROFS' }))
    await body()
  } finally {
    unmount()
  }
}

test('new spaces throw ERR_SCRATCH_NOT_WRITABLE naming the space; the existing one keeps working', () => withReadOnlyStore(async () => {
  const rt = freshRuntime()
  captureStderr()
  const codes: string[] = []
  const attempts: (() => unknown)[] = [
    () => rt.getScratch('new', { name: 'pkg-a' }),
    () => rt.getScratch('new', { name: 'pkg-new' }),
    () => rt.getScratch('new', { name: '@scope/pkg-new' }),
    () => rt.getGlobalScratch('new'),
  ]
  for (const attempt of attempts) {
    try {
      attempt()
      codes.push('no error')
    } catch (err) {
      codes.push((err as { code: string }).code)
      expect((err as Error).message).toContain('new')
    }
  }
  await expect(rt.ensureScratch('made', { name: 'pkg-new' }, () => undefined)).rejects.toMatchObject({ code: 'ERR_SCRATCH_NOT_WRITABLE' })
  expect(codes).toEqual(Array(attempts.length).fill('ERR_SCRATCH_NOT_WRITABLE'))
  expect(rt.getScratch('k', { name: 'pkg-a' })).toBe(path.join(box.store, 'pkg-a', 'k'))
  figure(`read-only store (real ro bind mount): ${codes.length + 1} creations of new spaces, all ERR_SCRATCH_NOT_WRITABLE; the existing space still returned`)
}))

test('deleteScratch and scratch delete of a space that cannot be deleted are errors; the space stays', () => withReadOnlyStore(async () => {
  const rt = freshRuntime()
  expect(() => rt.deleteScratch('k', { name: 'pkg-a' })).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_NOT_WRITABLE', message: expect.stringContaining('EROFS') }))
  expect(rt.deleteScratch('missing', { name: 'pkg-a' })).toBe(false)
  const cli = await scratchCli(snapshot!, box.store, ['delete', 'pkg-a', 'k'])
  expect(cli.code).toBe(1)
  expect(cli.stderr).toContain('ERR_SCRATCH_NOT_WRITABLE')
  expect(cli.stdout).not.toContain('nothing to delete')
  expect(fs.readFileSync(path.join(box.store, 'pkg-a', 'k', 'f'), 'utf8')).toBe('x')
  figure(`read-only store: deleteScratch and scratch delete of an existing space: ERR_SCRATCH_NOT_WRITABLE (exit ${cli.code}), space intact`)
}))
