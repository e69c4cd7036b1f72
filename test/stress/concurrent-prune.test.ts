/**
 * A gc pruning empty namespace directories while ensureScratch, importScratch and getScratch
 * create spaces in them: a real pruner process removes the namespaces in a tight loop (what
 * pruneEmptyParents does after every deletion). No call may throw a raw ENOENT; each retries.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { freshRuntime, useSandbox } from '../runtime/support'
import { figure } from './support'

const box = useSandbox()
jest.setTimeout(300_000)

const ROUNDS = 400
/** The rounds stop early past this, on a busy machine. */
const MAX_MS = 30_000

test(`${ROUNDS} rounds of ensureScratch, getScratch and importScratch against a concurrent pruner: no raw errors`, async () => {
  const rt = freshRuntime()
  const archiveSource = rt.getScratch('src', { name: 'archive-src' })
  fs.writeFileSync(path.join(archiveSource, 'f'), 'payload')
  const archive = path.join(box.tmp, 'a.tgz')
  await rt.exportScratch('src', { name: 'archive-src' }, archive)
  const namespaces = [path.join(box.store, 'pkg-p'), path.join(box.store, '@scope', 'pkg-q'), path.join(box.store, '@scope')]
  const pruner = spawn(process.execPath, ['-e', `
    const fs = require('fs'); const dirs = JSON.parse(process.argv[1]); let pruned = 0
    const until = Date.now() + 120000
    while (Date.now() < until) for (const d of dirs) { try { fs.rmdirSync(d); if (++pruned % 100 === 0) fs.writeSync(1, pruned + '\\n') } catch {} }
  `, JSON.stringify(namespaces)], { stdio: ['ignore', 'pipe', 'inherit'] })
  let prunedText = '0'
  pruner.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = chunk.trim().split('\n')
    prunedText = lines[lines.length - 1]
  })
  const failures = new Map<string, number>()
  const examples: string[] = []
  let calls = 0
  const attempt = async (fn: () => unknown): Promise<void> => {
    calls++
    try {
      await fn()
    } catch (err) {
      const code = String((err as { code?: string }).code)
      failures.set(code, (failures.get(code) ?? 0) + 1)
      if (examples.length < 3) examples.push(String((err as Error).stack).slice(0, 600))
    }
  }
  try {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const started = Date.now()
    for (let i = 0; i < ROUNDS && Date.now() - started < MAX_MS; i++) {
      const key = `k${i}`
      await attempt(() => rt.ensureScratch(key, { name: 'pkg-p' }, (dir) => fs.writeFileSync(path.join(dir, 'f'), 'x')))
      await attempt(() => rt.deleteScratch(key, { name: 'pkg-p' }))
      await attempt(() => rt.getScratch(key, { name: '@scope/pkg-q' }))
      await attempt(() => rt.deleteScratch(key, { name: '@scope/pkg-q' }))
      if (i % 5 === 0) {
        await attempt(() => rt.importScratch(archive, key, { name: '@scope/pkg-q' }))
        await attempt(() => rt.deleteScratch(key, { name: '@scope/pkg-q' }))
      }
    }
  } finally {
    const exited = new Promise((resolve) => pruner.on('exit', resolve))
    pruner.kill('SIGKILL')
    await exited
  }
  figure(`concurrent prune: ${calls} calls (ensureScratch, getScratch, importScratch, deleteScratch) while a pruner process removed the namespaces ` +
    `at least ${prunedText} times: ${[...failures.values()].reduce((a, b) => a + b, 0)} errors ${JSON.stringify(Object.fromEntries(failures))}`)
  expect(examples).toEqual([])
  expect(Number(prunedText)).toBeGreaterThan(0)
  expect(Object.fromEntries(failures)).toEqual({})
})
