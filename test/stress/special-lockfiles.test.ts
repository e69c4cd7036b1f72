/**
 * Lockfiles that are not regular files: a FIFO (reading one blocks until a writer comes, which
 * none ever does) and a link to /dev/zero (endless bytes). Every command that reads lockfiles
 * runs as a real process with a time limit, so a hang fails the test instead of the suite.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { makeSpace, npmProject, recordUse } from '../gc/support'
import { useSandbox } from '../runtime/support'
import { buildSnapshot, figure, removeSnapshot, runChild, type Snapshot } from './support'

const box = useSandbox()
let snapshot: Snapshot | undefined
beforeAll(async () => { snapshot = await buildSnapshot() })
afterAll(() => removeSnapshot(snapshot))

// Well above what these commands take; a blocked read would take forever.
const LIMIT_MS = 20_000

function cli(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }> {
  return runChild([snapshot!.cli, ...args], { env: { SCRATCHSPACE_DIR: box.store, SCRATCHSPACE_AUTO_GC: '0' }, timeoutMs: LIMIT_MS }).done
}

/** Projects: `good` (a real npm lockfile listing pkg-a), `fifo` and `zero` (package-lock.json a FIFO / a link to /dev/zero), each with a used space. */
function hostileProjects(): { good: string; fifo: string; zero: string } {
  const good = npmProject(path.join(box.tmp, 'good'), ['pkg-a'])
  const fifo = npmProject(path.join(box.tmp, 'fifo'), ['pkg-f'])
  const zero = npmProject(path.join(box.tmp, 'zero'), ['pkg-z'])
  fs.rmSync(path.join(fifo, 'package-lock.json'))
  execFileSync('mkfifo', [path.join(fifo, 'package-lock.json')])
  fs.rmSync(path.join(zero, 'package-lock.json'))
  fs.symlinkSync('/dev/zero', path.join(zero, 'package-lock.json'))
  for (const [owner, project] of [['pkg-a', good], ['pkg-f', fifo], ['pkg-z', zero]]) {
    makeSpace(box.store, owner, 'cache')
    recordUse(box.store, { owner, key: 'cache' }, project)
  }
  return { good, fifo, zero }
}

describe('a lockfile that is a FIFO or a link to /dev/zero', () => {
  test('gc, list, the scoped sweep and registration finish, and those projects are unknown without being read', async () => {
    const { good, fifo, zero } = hostileProjects()
    expect(fs.statSync(path.join(fifo, 'package-lock.json')).isFIFO()).toBe(true)

    const gc = await cli(['gc', '--json'])
    expect({ code: gc.code, signal: gc.signal, stderr: gc.stderr }).toEqual({ code: 0, signal: null, stderr: '' })
    const report = JSON.parse(gc.stdout) as { projects: Array<{ dir: string; status: string; reason?: string }>; spaces: Array<{ owner: string; action: string }> }
    const status = new Map(report.projects.map((p) => [p.dir, p]))
    expect(status.get(good)?.status).toBe('present')
    for (const [dir, kind] of [[fifo, 'a FIFO'], [zero, 'a character device']]) {
      expect(status.get(dir)).toMatchObject({ status: 'unknown', reason: expect.stringContaining(`not a regular file (${kind}); not read`) })
    }
    expect(report.spaces.map((s) => [s.owner, s.action]).sort()).toEqual([['pkg-a', 'keep'], ['pkg-f', 'keep'], ['pkg-z', 'keep']])

    const list = await cli(['list'])
    expect({ code: list.code, signal: list.signal }).toEqual({ code: 0, signal: null })
    const sweep = await cli(['gc', '--project', good])
    expect({ code: sweep.code, signal: sweep.signal }).toEqual({ code: 0, signal: null })
    const register = await cli(['register', zero, '--json'])
    expect({ code: register.code, signal: register.signal }).toEqual({ code: 0, signal: null })
    expect(register.stdout).toContain('not a regular file')
    const ownSweep = await cli(['gc', '--project', fifo])
    expect({ code: ownSweep.code, signal: ownSweep.signal }).toEqual({ code: 0, signal: null })
    for (const owner of ['pkg-a', 'pkg-f', 'pkg-z']) expect(fs.existsSync(path.join(box.store, owner, 'cache'))).toBe(true)
    figure(`special lockfiles: FIFO and /dev/zero lockfiles — gc ${gc.ms} ms, list ${list.ms} ms, scoped sweep ${sweep.ms} ms, register ${register.ms} ms, its own sweep ${ownSweep.ms} ms (limit ${LIMIT_MS} ms)`)
  })
})
