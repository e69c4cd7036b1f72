/**
 * The access log is opened without waiting for a FIFO's reader (O_NONBLOCK), which also makes an
 * open of a regular file under another process's lease fail at once (EAGAIN) instead of waiting
 * for the lease to be broken. The record must not be lost for that: the open waits, as it did
 * before the flag. The lease is real (`fcntl(F_SETLEASE)` through python3, whose holder gives it up
 * 1 s after it is told to, as a file server's oplock would).
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { appendRecord, projectRecord } from '../../src/runtime/access-log'
import { accessLogPath } from '../../src/runtime/layout'
import { useSandbox } from './support'

const HOLDER = `
import fcntl, os, signal, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
broken = []
signal.signal(signal.SIGIO, lambda *a: broken.append(time.time()))
fcntl.fcntl(fd, 1024, fcntl.F_RDLCK)  # F_SETLEASE
print('ready', flush=True)
while not broken: time.sleep(0.01)
time.sleep(1.0)
os.close(fd)
`
const python = spawnSync('python3', ['--version']).status === 0

describe("an access log under another process's lease", () => {
  const box = useSandbox()

  // python3 is what takes the lease (Node has no fcntl); without it there is no lease to test.
  ;(python ? test : test.skip)('an append waits for the lease to be broken and lands, instead of failing with EAGAIN', async () => {
    const log = accessLogPath(box.store)
    fs.mkdirSync(path.dirname(log), { recursive: true })
    fs.writeFileSync(log, '')
    const holder = spawn('python3', ['-c', HOLDER, log], { stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('ready')) resolve() })
      holder.on('exit', (code) => reject(new Error(`the lease holder exited with ${code}`)))
    })
    const began = Date.now()
    appendRecord(box.store, projectRecord(path.join(box.tmp, 'p1'), Date.now()))
    const waited = Date.now() - began
    await new Promise((resolve) => holder.on('exit', resolve))
    expect(fs.readFileSync(log, 'utf8')).toContain('"t":"project"')
    // It waited for the holder to give the lease up (1 s after the break began), as a plain open does.
    expect(waited).toBeGreaterThanOrEqual(800)
  }, 60_000)
})
