/**
 * A process whose current directory was deleted (a build step that removed its own checkout):
 * getScratch still records the use before it creates the space, unattributed (no project can be
 * found from a cwd that is gone), so gc keeps the space by its record and not by the directory's
 * mtime; a relative SCRATCHSPACE_DIR, which needs the cwd, is a ScratchError, never a raw errno.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { builtRuntime, repoRoot } from '../helpers/dist'
import { removeTempDirs, tempDir } from '../helpers/tmp'

afterEach(removeTempDirs)

const runtime = builtRuntime()
const cli = path.join(repoRoot, 'dist', 'cli.cjs')

/** Runs `body` with `lib` (the built runtime) in a fresh process whose cwd is deleted first. */
function inDeletedCwd(base: string, body: string, env: NodeJS.ProcessEnv): string {
  const script = `
    const fs = require('fs'); const lib = require(${JSON.stringify(runtime.cjs)})
    const gone = fs.mkdtempSync(${JSON.stringify(path.join(base, 'gone-'))})
    process.chdir(gone); fs.rmdirSync(gone)
    ${body}`
  return execFileSync(process.execPath, ['-e', script], { env: { ...process.env, SCRATCHSPACE_AUTO_GC: '0', INIT_CWD: '', ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
}

test('getScratch from a deleted cwd records the use (no project), and gc keeps the space 8 days later', () => {
  const base = tempDir()
  const store = path.join(base, 'store')
  const space = inDeletedCwd(base, "console.log(lib.getScratch('data', { name: 'some-lib' }))", { SCRATCHSPACE_DIR: store })
  expect(fs.statSync(space).isDirectory()).toBe(true)
  const log = fs.readFileSync(path.join(store, '.scratch', 'access.log'), 'utf8')
  expect(log).toContain('"space":"some-lib/data"')
  expect(log).toContain('"project":null')
  // Files inside are used, the directory's mtime is not: only the record keeps it.
  const old = new Date(Date.now() - 8 * 86_400_000)
  fs.utimesSync(space, old, old)
  const report = JSON.parse(execFileSync(process.execPath, [cli, 'gc', '--json'], { env: { ...process.env, SCRATCHSPACE_DIR: store, SCRATCHSPACE_AUTO_GC: '0' }, encoding: 'utf8' })) as { spaces: Array<{ key: string; action: string }> }
  expect(report.spaces).toEqual([expect.objectContaining({ key: 'data', action: 'keep' })])
})

test('a relative SCRATCHSPACE_DIR from a deleted cwd: ERR_SCRATCH_NOT_WRITABLE naming it, with a hint', () => {
  const base = tempDir()
  const out = inDeletedCwd(base, `try { lib.getScratch('data', { name: 'some-lib' }); console.log('no error') } catch (e) {
      console.log(JSON.stringify({ scratch: e instanceof lib.ScratchError, code: e.code, message: e.message, hint: e.hint })) }`, { SCRATCHSPACE_DIR: 'rel-store' })
  const error = JSON.parse(out) as { scratch: boolean; code: string; message: string; hint: string }
  expect(error).toMatchObject({ scratch: true, code: 'ERR_SCRATCH_NOT_WRITABLE' })
  expect(error.message).toContain('rel-store')
  expect(error.hint.length).toBeGreaterThan(0)
})

test('the CLI in a deleted cwd: a command that needs no cwd runs; one that does is a coded error, no stack trace', () => {
  const base = tempDir()
  const store = path.join(base, 'store')
  fs.mkdirSync(path.join(store, '.scratch'), { recursive: true })
  const script = `
    const fs = require('fs'); const { spawnSync } = require('child_process')
    const gone = fs.mkdtempSync(${JSON.stringify(path.join(base, 'gone-'))})
    process.chdir(gone); fs.rmdirSync(gone)
    const run = (args) => { const r = spawnSync(process.execPath, [${JSON.stringify(cli)}, ...args], { encoding: 'utf8' }); return { status: r.status, stderr: r.stderr } }
    console.log(JSON.stringify({ dry: run(['gc', '--dry-run']), project: run(['gc', '--project', 'rel']) }))`
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, SCRATCHSPACE_DIR: store, SCRATCHSPACE_AUTO_GC: '0', NO_COLOR: '1' }, encoding: 'utf8' })) as Record<'dry' | 'project', { status: number; stderr: string }>
  expect(out.dry).toEqual({ status: 0, stderr: '' })
  expect(out.project.status).toBe(1)
  expect(out.project.stderr).toContain('ERR_SCRATCH_NOT_WRITABLE')
  expect(out.project.stderr).not.toContain('uv_cwd')
  expect(out.project.stderr).not.toMatch(/\n\s+at /)
})
