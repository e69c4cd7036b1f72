/**
 * A FIFO planted in place of the access log (by anyone who can write the bookkeeping directory)
 * must not hang `getScratch`: the log is opened without waiting for a reader, and the use is a
 * warning. Run in a child process: a blocking open would hang this test's own process for good.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { builtRuntime } from '../helpers/dist'
import { bookkeepingDir } from '../../src/runtime/layout'
import { useSandbox } from './support'

describe('a FIFO planted as the access log', () => {
  const box = useSandbox()

  test('getScratch returns the space within its usual time and warns that the use is not recorded', () => {
    const { cjs } = builtRuntime()
    fs.mkdirSync(bookkeepingDir(box.store), { recursive: true })
    fs.writeFileSync(path.join(bookkeepingDir(box.store), 'format'), '1\n')
    execFileSync('mkfifo', [path.join(bookkeepingDir(box.store), 'access.log')])
    const script = `const { getScratch } = require(${JSON.stringify(cjs)}); process.stdout.write(getScratch('cache', { name: 'pkg-a' }))`
    const child = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, SCRATCHSPACE_DIR: box.store }, encoding: 'utf8', timeout: 20_000 })
    expect(child.signal).toBeNull()
    expect(child.status).toBe(0)
    expect(child.stdout).toBe(path.join(box.store, 'pkg-a', 'cache'))
    expect(fs.statSync(child.stdout).isDirectory()).toBe(true)
    expect(child.stderr).toContain('ENXIO')
    expect(fs.lstatSync(path.join(bookkeepingDir(box.store), 'access.log')).isFIFO()).toBe(true)
  }, 60_000)
})
