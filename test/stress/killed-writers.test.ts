/**
 * Temp directories of a killed ensureScratch (a real `kill -9` of the process while `populate`
 * runs): the name carries the creator's pid and host, so `scratch list` mentions them and the
 * next gc removes them once that process is gone, not a day later. A live writer's temp stays.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { runGc } from '../../src/gc'
import { useSandbox } from '../runtime/support'
import { buildSnapshot, figure, removeSnapshot, type Snapshot } from './support'

const box = useSandbox()
let snapshot: Snapshot | undefined
beforeAll(async () => { snapshot = await buildSnapshot() })
afterAll(() => removeSnapshot(snapshot))

/** A process whose ensureScratch(`key`) fills its temp dir and then hangs; resolves once the temp is written. */
async function hangingWriter(key: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', `
    const rt = require(process.argv[1])
    setInterval(() => {}, 1000) // stays alive, as a process in the middle of its work does
    rt.ensureScratch(process.argv[2], { name: 'pkg-a' }, (dir) => {
      require('fs').writeFileSync(require('path').join(dir, 'half'), 'x'.repeat(1000))
      process.stdout.write('ready')
      return new Promise(() => {})
    })
  `, snapshot!.index, key], { env: { ...process.env, SCRATCHSPACE_DIR: box.store }, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => resolve())
    child.on('exit', () => reject(new Error('writer exited early')))
  })
  return child
}

function temps(): string[] {
  return fs.readdirSync(path.join(box.store, 'pkg-a')).filter((name) => name.includes('.tmp-'))
}

test('the next gc removes the temp of a writer killed with SIGKILL; list mentions it; a live writer\'s temp stays', async () => {
  const killed = await Promise.all([hangingWriter('one'), hangingWriter('two')])
  const live = await hangingWriter('three')
  try {
    for (const child of killed) {
      const exited = new Promise((resolve) => child.on('exit', resolve))
      child.kill('SIGKILL')
      await exited
    }
    expect(temps()).toHaveLength(3)
    const list = await runGc({ dryRun: true })
    expect(list.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^2 temporary directories left by interrupted/)]))
    await runGc()
    const left = temps()
    expect(left).toHaveLength(1)
    expect(left[0]).toContain(`-${live.pid}-`)
    figure(`killed writers: 2 ensureScratch processes killed with SIGKILL mid-populate: list warned about 2 leftovers, the next gc removed both (age 0 s); the live writer's temp kept`)
  } finally {
    live.kill('SIGKILL')
  }
})
