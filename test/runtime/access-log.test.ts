/** The access log (SPEC §3): self-checking lines that concurrent writers never tear, and readers that skip damage. */
import fs from 'node:fs'
import path from 'node:path'
import { getScratch } from '../../src'
import { decodeLog, encodeRecord, type AccessRecord } from '../../src/runtime/access-log'
import { builtRuntime } from '../helpers/dist'
import { runNode } from '../helpers/tmp'
import { logPath, readLog, useSandbox } from './support'

const box = useSandbox()

const WRITER = `
const fs = require('node:fs')
const path = require('node:path')
const { getScratch } = require(process.argv[1])
const [syncDir, name, count] = process.argv.slice(2)
fs.writeFileSync(path.join(syncDir, 'ready-' + process.pid), '')
while (!fs.existsSync(path.join(syncDir, 'go'))) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2)
for (let i = 0; i < Number(count); i++) getScratch('key-' + i, { name, version: '1.0.0-' + 'x'.repeat(i % 50) })
`

test('8 processes appending 200 records each: every line is intact and none is lost', async () => {
  const { cjs } = builtRuntime()
  const syncDir = path.join(box.tmp, 'sync')
  fs.mkdirSync(syncDir)
  const writers = Array.from({ length: 8 }, (_, n) =>
    runNode(WRITER, { args: [cjs, syncDir, `writer-${n}`, '200'], env: { SCRATCHSPACE_DIR: box.store } }))
  for (let waited = 0; fs.readdirSync(syncDir).length < 8 && waited < 20_000; waited += 5) await new Promise((r) => setTimeout(r, 5))
  fs.writeFileSync(path.join(syncDir, 'go'), '')
  const results = await Promise.all(writers)
  expect(results.map((r) => [r.code, r.stderr])).toEqual(Array(8).fill([0, '']))

  const text = fs.readFileSync(logPath(box.store), 'utf8')
  expect(text.endsWith('\n')).toBe(true)
  const lines = text.slice(0, -1).split('\n')
  expect(lines).toHaveLength(1600)
  expect(lines.filter((line) => !/^[0-9a-f]{8} \{"t":"access".*\}$/.test(line))).toEqual([])
  const records = decodeLog(text) as AccessRecord[]
  expect(records).toHaveLength(1600)
  const perWriter = new Map<string, Set<string>>()
  for (const r of records) perWriter.set(r.owner!, (perWriter.get(r.owner!) ?? new Set()).add(r.space))
  expect([...perWriter.keys()].sort()).toEqual(Array.from({ length: 8 }, (_, n) => `writer-${n}`))
  expect([...perWriter.values()].map((spaces) => spaces.size)).toEqual(Array(8).fill(200))
  expect(new Set(records.map((r) => r.pid)).size).toBe(8)
})

describe('damaged lines', () => {
  const record = (key: string): AccessRecord => ({
    t: 'access', space: `p/${key}`, owner: 'p', caller: 'p', project: null, time: '2026-01-02T03:04:05.678Z', pid: 42,
  })

  test('garbage, wrong checksums, torn halves and foreign kinds are skipped; the rest is kept', () => {
    getScratch('k1', { name: 'p' })
    getScratch('k2', { name: 'p' })
    const good = encodeRecord(record('k3'))
    const damaged = [
      'garbage without a checksum\n',
      good.replace('"pid":42', '"pid":43'), // edited: checksum no longer matches
      good.slice(0, 40) + '\n', // truncated, then newline
      '\n', '\r\n', '\u0000\u0000\u0000\n', '\uFFFD\uFFFD{"t":"access"}\n',
      encodeRecord({ t: 'other' } as never), // intact but of an unknown kind
      '00000000 5\n', 'zzzzzzzz {"t":"access","space":"p/x","time":"t"}\n',
      good.slice(0, 50), // torn append without its newline: the next append is glued to it
    ]
    fs.appendFileSync(logPath(box.store), damaged.join(''))
    getScratch('k4', { name: 'p' })
    fs.appendFileSync(logPath(box.store), good)

    const text = fs.readFileSync(logPath(box.store), 'utf8')
    expect(decodeLog(text).map((r) => (r as AccessRecord).space)).toEqual(['p/k1', 'p/k2', 'p/k4', 'p/k3'])
    expect(readLog(box.store).records.map((r) => r.space)).toEqual(['p/k1', 'p/k2', 'p/k4', 'p/k3'])
  })

  test('two torn appends in a row still leave the record after them', () => {
    const a = encodeRecord(record('a'))
    const b = encodeRecord(record('b'))
    expect(decodeLog(a.slice(0, 30) + a.slice(0, 9) + b + a).map((r) => (r as AccessRecord).space)).toEqual(['p/b', 'p/a'])
  })

  test('an empty or newline-only log decodes to nothing', () => {
    expect(decodeLog('')).toEqual([])
    expect(decodeLog('\n\n\n')).toEqual([])
  })
})

describe('an append that races a log rotation', () => {
  test('a record written into a log a gc rotated (and removed) after our open is written again to the live log', () => {
    getScratch('first', { name: 'p' })
    const realWrite = fs.writeSync
    let rotated = false
    jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: string) => {
      if (!rotated && typeof data === 'string' && data.includes('"space":"p/second"')) {
        // A gc rotates the log between our open and our write, reads it and retires it.
        rotated = true
        fs.renameSync(logPath(box.store), `${logPath(box.store)}.rotated`)
        fs.rmSync(`${logPath(box.store)}.rotated`)
      }
      return realWrite(fd, data)
    }) as typeof fs.writeSync)
    getScratch('second', { name: 'p' })
    expect(rotated).toBe(true)
    expect(readLog(box.store).records.map((r) => r.space)).toEqual(['p/second'])
  })
})
