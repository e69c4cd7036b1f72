/**
 * The install-time sweep does not read an access history past what fits its time bound: it asks
 * for a background compaction and leaves the sweep to the next one. When the compacted log alone
 * is that large (that many distinct uses), compaction shrinks it only as far as spaces went away,
 * so the warning also says what sweeps meanwhile (docs/design.md, "Store format").
 */
import fs from 'node:fs'
import path from 'node:path'
import { runGc, scopedSweep } from '../../src/gc'
import { bookkeepingDir } from '../../src/runtime/layout'
import { useSandbox } from '../runtime/support'
import { projectUsingAandB } from './support'

const MiB = 1024 * 1024

describe('scoped sweep: a history too large for an install', () => {
  const box = useSandbox()
  const marker = (): string => path.join(bookkeepingDir(box.store), 'compact.requested')

  /** `bytes` of log lines in `file` of the bookkeeping directory (never read: the size decides first). */
  const pad = (name: string, bytes: number): void => {
    fs.writeFileSync(path.join(bookkeepingDir(box.store), name), `${'x'.repeat(199)}\n`.repeat(Math.ceil(bytes / 200)))
  }

  test('a compacted log past the bound: a compaction is asked for, and the warning points to scratch gc', async () => {
    const { p1, a } = projectUsingAandB(box.tmp, box.store)
    await runGc()
    fs.appendFileSync(path.join(bookkeepingDir(box.store), 'access.compact.log'), `${'x'.repeat(199)}\n`.repeat(Math.ceil(33 * MiB / 200)))
    const report = scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b'] })
    expect(report.warnings).toEqual(['the access history holds 33 MiB of compacted uses, more than an install-time sweep reads; it is being compacted in the background, and until it is under 32 MiB `scratch gc` sweeps this store'])
    expect(fs.existsSync(marker())).toBe(true)
    expect(fs.existsSync(a)).toBe(true)
  })

  test('a live log past the bound: a background compaction is asked for, and the sweep waits for it', async () => {
    const { p1, a } = projectUsingAandB(box.tmp, box.store)
    await runGc()
    pad('access.log', 33 * MiB)
    const report = scopedSweep({ projectDir: p1, names: ['p1', 'pkg-b'] })
    expect(report.warnings).toEqual([expect.stringContaining('it is being compacted in the background and this sweep is left to the next one')])
    expect(fs.existsSync(marker())).toBe(true)
    expect(fs.existsSync(a)).toBe(true)
  })
})
