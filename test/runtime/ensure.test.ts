/** ensureScratch: populate a missing or empty space atomically, once, across processes (SPEC §2). */
import fs from 'node:fs'
import path from 'node:path'
import { ensureScratch, getScratch } from '../../src'
import { builtRuntime } from '../helpers/dist'
import { runNode } from '../helpers/tmp'
import { readLog, useSandbox } from './support'

const box = useSandbox()
const owner = { name: 'racer' }
const nsDir = (): string => path.join(box.store, 'racer')

const RACER = `
const fs = require('node:fs')
const path = require('node:path')
const { ensureScratch } = require(process.argv[1])
const syncDir = process.argv[2]
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
let runs = 0
async function main() {
  fs.writeFileSync(path.join(syncDir, 'ready-' + process.pid), '')
  while (!fs.existsSync(path.join(syncDir, 'go'))) await sleep(2)
  const dir = await ensureScratch('shared', { name: 'racer' }, async (tmp) => {
    runs++
    await sleep(Math.random() * 30)
    fs.writeFileSync(path.join(tmp, 'pid-' + process.pid), 'x'.repeat(65536))
    await sleep(Math.random() * 10)
    fs.writeFileSync(path.join(tmp, 'complete'), String(process.pid))
  })
  const files = fs.readdirSync(dir).sort()
  console.log(JSON.stringify({ runs, dir, files, complete: fs.readFileSync(path.join(dir, 'complete'), 'utf8') }))
}
main()
`

test('six node processes racing on one key leave exactly one complete result and no temp dirs', async () => {
  const { cjs } = builtRuntime()
  const syncDir = path.join(box.tmp, 'sync')
  fs.mkdirSync(syncDir)
  const children = Array.from({ length: 6 }, () => runNode(RACER, { args: [cjs, syncDir], env: { SCRATCHSPACE_DIR: box.store } }))
  // Start them together once all are up, so their populates overlap.
  for (let waited = 0; fs.readdirSync(syncDir).length < 6 && waited < 20_000; waited += 5) await new Promise((r) => setTimeout(r, 5))
  fs.writeFileSync(path.join(syncDir, 'go'), '')
  const results = await Promise.all(children)

  expect(results.map((r) => [r.code, r.stderr])).toEqual(Array(6).fill([0, '']))
  const reports = results.map((r) => JSON.parse(r.stdout) as { runs: number; dir: string; files: string[]; complete: string })
  const winner = reports[0].complete
  const space = path.join(nsDir(), 'shared')
  // Every caller saw the same, complete result.
  expect(reports.map(({ dir, files, complete }) => ({ dir, files, complete }))).toEqual(
    Array(6).fill({ dir: space, files: ['complete', `pid-${winner}`], complete: winner }))
  expect(reports.every((r) => r.runs === 0 || r.runs === 1)).toBe(true)
  expect(reports.some((r) => r.runs === 1)).toBe(true)
  expect(fs.readdirSync(space).sort()).toEqual(['complete', `pid-${winner}`])
  expect(fs.statSync(path.join(space, `pid-${winner}`)).size).toBe(65536)
  expect(fs.readdirSync(nsDir())).toEqual(['shared'])
})

test('concurrent calls in one process also end with one result', async () => {
  let calls = 0
  const populate = async (dir: string): Promise<void> => {
    const n = ++calls
    await new Promise((r) => setTimeout(r, 5 * (5 - n)))
    fs.writeFileSync(path.join(dir, `result-${n}`), String(n))
  }
  const paths = await Promise.all(Array.from({ length: 5 }, () => ensureScratch('shared', owner, populate)))
  expect(new Set(paths)).toEqual(new Set([path.join(nsDir(), 'shared')]))
  expect(fs.readdirSync(paths[0])).toHaveLength(1)
  expect(fs.readdirSync(nsDir())).toEqual(['shared'])
})

test.each([
  ['throws', (): void => { throw new Error('boom') }],
  ['rejects', async (dir: string): Promise<void> => { fs.writeFileSync(path.join(dir, 'half'), ''); throw new Error('boom') }],
])('a populate that %s leaves nothing behind and the error propagates', async (_label, populate) => {
  const failure = ensureScratch('k', owner, populate)
  await expect(failure).rejects.toThrow('boom')
  expect(fs.existsSync(path.join(nsDir(), 'k'))).toBe(false)
  expect(fs.readdirSync(nsDir())).toEqual([])
  // The next call starts over.
  await ensureScratch('k', owner, (dir) => fs.writeFileSync(path.join(dir, 'ok'), ''))
  expect(fs.readdirSync(path.join(nsDir(), 'k'))).toEqual(['ok'])
})

test('a space with content is returned as it is, without calling populate', async () => {
  const dir = getScratch('k', owner)
  fs.writeFileSync(path.join(dir, 'keep'), 'me')
  const populate = jest.fn()
  expect(await ensureScratch('k', owner, populate)).toBe(dir)
  expect(populate).not.toHaveBeenCalled()
  expect(fs.readdirSync(dir)).toEqual(['keep'])
})

test('an existing empty space gets populated, and is then kept', async () => {
  const dir = getScratch('k', owner)
  const populate = jest.fn((tmp: string) => fs.writeFileSync(path.join(tmp, 'data'), '42'))
  expect(await ensureScratch('k', owner, populate)).toBe(dir)
  expect(fs.readFileSync(path.join(dir, 'data'), 'utf8')).toBe('42')
  expect(populate).toHaveBeenCalledTimes(1)
  expect(populate.mock.calls[0][0]).not.toBe(dir)
  expect(path.dirname(populate.mock.calls[0][0])).toBe(nsDir())
  await ensureScratch('k', owner, populate)
  expect(populate).toHaveBeenCalledTimes(1)
})

test('it records the access like getScratch', async () => {
  await ensureScratch('k', owner, (dir) => fs.writeFileSync(path.join(dir, 'f'), ''))
  expect(readLog(box.store).records).toEqual([expect.objectContaining({ space: 'racer/k', owner: 'racer', caller: 'racer' })])
})

test('a populate that is not a function is ERR_SCRATCH_USAGE', async () => {
  await expect(ensureScratch('k', owner, undefined as unknown as () => void)).rejects.toMatchObject({ code: 'ERR_SCRATCH_USAGE' })
})
