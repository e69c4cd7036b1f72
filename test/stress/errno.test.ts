/**
 * No raw errno reaches a user: file names Node.js cannot spell, entry names the file system cannot
 * hold, a real full disk (a small tmpfs), and store roots that cannot hold spaces (/proc/self, a
 * 5,000-character path). Each gives a coded ScratchError naming the path, with a hint, and leaves
 * nothing behind.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { ensureScratch, exportScratch, getScratch, importScratch } from '../../src'
import { rawTar } from '../archive/helpers'
import { listTree } from '../helpers/tmp'
import { useSandbox } from '../runtime/support'
import { buildSnapshot, figure, removeSnapshot, scratchCli, type Snapshot } from './support'

const coded = (code: string, named: string): object => ({ name: 'ScratchError', code, message: expect.stringContaining(named), hint: expect.any(String) })

function tryMount(dir: string, size: string): boolean {
  fs.mkdirSync(dir, { recursive: true })
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' })
    return true
  } catch (err) {
    console.log(`full-disk cases skipped: cannot mount a tmpfs here (${(err as Error).message.split('\n')[0]})`)
    return false
  }
}

/** Fills the file system holding `dir` until a write fails with ENOSPC. */
function fill(dir: string): void {
  const fd = fs.openSync(path.join(dir, 'filler'), 'w')
  const chunk = Buffer.alloc(64 * 1024, 1)
  try {
    for (;;) fs.writeSync(fd, chunk)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
  } finally {
    fs.closeSync(fd)
  }
  // Partial pages: keep writing single bytes until even those fail.
  for (let i = 0; i < 64; i++) {
    try {
      fs.appendFileSync(path.join(dir, 'filler'), 'x')
    } catch {
      break
    }
  }
}

describe('no raw errno', () => {
  const box = useSandbox()
  let snapshot: Snapshot | undefined
  beforeAll(async () => { snapshot = await buildSnapshot() }, 60_000)
  afterAll(() => removeSnapshot(snapshot))

  test('export to a missing directory, or through a name that is not UTF-8: ERR_SCRATCH_NOT_FOUND naming it, nothing written', async () => {
    getScratch('models', { name: 'my-lib' })
    const missing = path.join(box.tmp, 'no-such-dir', 'out.tgz')
    await expect(exportScratch('models', { name: 'my-lib' }, missing)).rejects.toMatchObject(coded('ERR_SCRATCH_NOT_FOUND', path.join(box.tmp, 'no-such-dir')))
    await expect(exportScratch('models', { name: 'my-lib' }, Buffer.from('out.tgz') as unknown as string)).rejects.toMatchObject({ code: 'ERR_SCRATCH_USAGE' })
    // A directory whose name is the byte 0xff: Node.js turns it into U+FFFD in argv, so it is not found.
    const rawDir = Buffer.concat([Buffer.from(`${box.tmp}/`), Buffer.from([0xff])])
    fs.mkdirSync(rawDir)
    const out = execFileSync('sh', ['-c', `"${process.execPath}" "${snapshot!.cli}" export my-lib models -o "$(printf '${box.tmp}/\\377/out.tgz')"; echo "exit=$?"`], {
      env: { ...process.env, SCRATCHSPACE_DIR: box.store }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    })
    expect(out).toContain('exit=1')
    expect(fs.readdirSync(rawDir)).toEqual([])
    const stderr = execFileSync('sh', ['-c', `"${process.execPath}" "${snapshot!.cli}" export my-lib models -o "$(printf '${box.tmp}/\\377/out.tgz')" 2>&1 || true`], {
      env: { ...process.env, SCRATCHSPACE_DIR: box.store }, encoding: 'utf8',
    })
    expect(stderr).toMatch(/^ERR_SCRATCH_NOT_FOUND: .*out\.tgz.*\n {2}hint: /)
  })

  test('import of an entry whose name is over 255 bytes: ERR_SCRATCH_UNSAFE_ARCHIVE naming it, no temp left', async () => {
    const long = 'a'.repeat(300)
    const file = path.join(box.tmp, 'long.tgz')
    fs.writeFileSync(file, rawTar([{ path: 'x', type: 'File', body: 'short', pax: { path: long } }]))
    await expect(importScratch(file, 'data', { name: 'my-lib' })).rejects.toMatchObject(coded('ERR_SCRATCH_UNSAFE_ARCHIVE', 'ENAMETOOLONG'))
    expect(fs.existsSync(path.join(box.store, 'my-lib', 'data'))).toBe(false)
    expect(listTree(box.store).filter((entry) => entry.includes('.tmp'))).toEqual([])
  })

  test('a full disk (a real 1 MiB tmpfs): a new store, ensureScratch and importScratch give ERR_SCRATCH_NOT_WRITABLE (ENOSPC) with the full-disk hint, nothing left', async () => {
    const mnt = path.join(box.tmp, 'small')
    if (!tryMount(mnt, '1m')) return
    try {
      const archive = path.join(box.tmp, 'data.tgz')
      fs.writeFileSync(archive, rawTar([{ path: 'big.bin', type: 'File', body: 'z'.repeat(300_000) }]))
      // A store that exists before the disk fills, and one that does not.
      const store = path.join(mnt, 'store')
      process.env.SCRATCHSPACE_DIR = store
      getScratch('existing', { name: 'my-lib' })
      fill(mnt)
      const before = listTree(store)
      await expect(ensureScratch('fresh', { name: 'my-lib' }, (dir) => fs.writeFileSync(path.join(dir, 'f'), 'y'.repeat(100_000))))
        .rejects.toMatchObject({ ...coded('ERR_SCRATCH_NOT_WRITABLE', 'ENOSPC'), hint: expect.stringContaining('full') })
      await expect(importScratch(archive, 'imported', { name: 'my-lib' })).rejects.toMatchObject({ ...coded('ERR_SCRATCH_NOT_WRITABLE', 'ENOSPC'), hint: expect.stringContaining('full') })
      expect(listTree(store).filter((entry) => !entry.startsWith('.scratch/access.log'))).toEqual(before.filter((entry) => !entry.startsWith('.scratch/access.log')))
      process.env.SCRATCHSPACE_DIR = path.join(mnt, 'new-store')
      let error: unknown
      try {
        getScratch('k', { name: 'my-lib' })
      } catch (err) {
        error = err
      }
      expect(error).toMatchObject({ ...coded('ERR_SCRATCH_NOT_WRITABLE', 'ENOSPC'), hint: expect.stringContaining('full') })
      figure(`full disk (1 MiB tmpfs): ensureScratch, importScratch and a new store all gave ERR_SCRATCH_NOT_WRITABLE (ENOSPC)`)
    } finally {
      execFileSync('umount', [mnt])
    }
  })

  test('SCRATCHSPACE_DIR=/proc/self or a 5,000-character path: coded errors naming the path, for the API and the CLI', async () => {
    for (const root of ['/proc/self', path.join(box.tmp, 'x'.repeat(5000))]) {
      process.env.SCRATCHSPACE_DIR = root
      expect(() => getScratch('k', { name: 'my-lib' })).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_NOT_WRITABLE', message: expect.stringContaining(root.slice(0, 40)) }))
      await expect(ensureScratch('k', { name: 'my-lib' }, () => undefined)).rejects.toMatchObject({ code: 'ERR_SCRATCH_NOT_WRITABLE' })
      for (const args of [['list'], ['gc'], ['gc', '--project', box.tmp], ['clear', '--all', '--force']]) {
        const result = await scratchCli(snapshot!, root, args)
        expect(result.stderr).not.toMatch(/^E[A-Z]+: /m)
        expect(result.stderr).not.toMatch(/\n\s+at /)
        if (args[1] === '--project') expect(result.code).toBe(0)
        else expect(result.stderr).toMatch(/^ERR_SCRATCH_[A-Z_]+: .*\n {2}hint: /)
      }
    }
    expect(fs.existsSync(path.join(box.tmp, 'x'.repeat(200)))).toBe(false)
  })
})
