/** `scratch list --by owner`: where the disk went, one row per owner, fitted to the terminal. */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { ownersOf } from '../../src/gc/owners'
import type { GcReport, SpaceReport } from '../../src/gc/report'
import { formatOwners } from '../../src/cli/owners-view'
import { builtRuntime, repoRoot } from '../helpers/dist'
import { makeSpace, npmProject, recordUse } from '../gc/support'
import { useSandbox } from '../runtime/support'
import { scratch } from './support'

function space(owner: string | null, key: string, bytes: number, verdict: 'live' | 'orphaned'): SpaceReport {
  return { owner, key, path: `/s/${owner ?? '_global'}/${key}`, bytes, tracked: true, lastAccess: null, projects: [], callers: [], verdict, action: 'keep', reason: '' }
}

const report: GcReport = {
  dryRun: true, freedBytes: 0, projects: [], warnings: [],
  spaces: [
    space('pkg-small', 'a', 1000, 'live'),
    space('@some-long-scope/a-package-with-a-long-name', 'x', 600_000, 'orphaned'),
    space('pkg-big', 'bin', 3_000_000, 'live'),
    space('pkg-big', 'cache', 6_000_000, 'orphaned'),
    space(null, 'shared', 400_000, 'live'),
  ],
}

describe('owners of a report', () => {
  test('grouped, largest first, with shares, keys largest first, and live/orphaned counts', () => {
    const owners = ownersOf(report)
    expect(owners.totalBytes).toBe(10_001_000)
    expect(owners.owners.map((o) => [o.owner, o.bytes, o.spaces, o.live, o.orphaned])).toEqual([
      ['pkg-big', 9_000_000, ['cache', 'bin'], 1, 1],
      ['@some-long-scope/a-package-with-a-long-name', 600_000, ['x'], 0, 1],
      [null, 400_000, ['shared'], 1, 0],
      ['pkg-small', 1000, ['a'], 1, 0],
    ])
    expect(owners.owners.reduce((sum, o) => sum + o.share, 0)).toBeCloseTo(1)
    expect(ownersOf({ ...report, spaces: [] })).toEqual({ totalBytes: 0, owners: [] })
  })

  test.each([40, 80, 200])('at %i columns every line fits and each owner is one row', (columns) => {
    const out = formatOwners(ownersOf(report), { color: false, columns })
    const lines = out.trimEnd().split('\n')
    expect(lines).toHaveLength(6)
    for (const line of lines) expect({ line, fits: [...line].length <= columns }).toEqual({ line, fits: true })
    expect(lines[0]).toMatch(/^OWNER\s+SIZE\s+SHARE/)
    expect(lines[1]).toMatch(/^pkg-big\s+8\.6 MiB\s+90%\s+#+\.*/)
    expect(lines[5]).toBe('4 owners, 9.5 MiB in total')
    // The bar is proportional: the biggest owner's is the longest.
    const bars = lines.slice(1, 5).map((line) => /#+/.exec(line)?.[0].length ?? 0)
    expect(bars).toEqual([...bars].sort((a, b) => b - a))
    expect(bars[3]).toBe(1)
    if (columns === 200) {
      expect(lines[2]).toMatch(/^@some-long-scope\/a-package-with-a-long-name\s+586 KiB\s+6%\s+#+\.+\s+1 space\s+orphaned$/)
      expect(lines[1]).toMatch(/2 spaces\s+1 live, 1 orphaned$/)
      expect(/#+\.*/.exec(lines[1])?.[0].length).toBe(40)
    } else if (columns === 80) {
      expect(lines[1]).toMatch(/1 live, 1 orphaned$/)
    } else {
      expect(lines[2]).toContain('…')
    }
  })

  test('plain without colour: no escape codes; with colour: coloured blocks, live green and orphaned red', () => {
    const plain = formatOwners(ownersOf(report), { color: false, columns: 100 })
    expect(plain).not.toMatch(/\u001b\[/)
    const coloured = formatOwners(ownersOf(report), { color: true, columns: 100 })
    expect(coloured).toContain('\u001b[32m█')
    expect(coloured).toContain('\u001b[31morphaned\u001b[39m')
    expect(coloured).not.toContain('#')
  })
})

describe('scratch list --by owner', () => {
  const box = useSandbox()

  test('the same data as --json, from a real store; NO_COLOR and a pipe give plain text', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    makeSpace(box.store, 'pkg-a', 'cache', 20_000)
    makeSpace(box.store, 'pkg-a', 'bin', 5_000)
    makeSpace(box.store, 'pkg-gone', 'cache', 75_000)
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1)
    recordUse(box.store, { owner: 'pkg-a', key: 'bin' }, p1)
    recordUse(box.store, { owner: 'pkg-gone', key: 'cache' }, p1)
    const json = await scratch(box.store, ['list', '--by', 'owner', '--json'])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual({
      totalBytes: 100_000,
      owners: [
        { owner: 'pkg-gone', bytes: 75_000, share: 0.75, spaces: ['cache'], live: 0, orphaned: 1 },
        { owner: 'pkg-a', bytes: 25_000, share: 0.25, spaces: ['cache', 'bin'], live: 2, orphaned: 0 },
      ],
    })
    const human = await scratch(box.store, ['list', '--by', 'owner'], { env: { COLUMNS: '80' } })
    expect(human.stdout).not.toMatch(/\u001b\[/)
    expect(human.stdout.split('\n').slice(1, 3)).toEqual([
      expect.stringMatching(/^pkg-gone\s+73\.2 KiB\s+75%\s+#+\.+\s+1 space\s+orphaned$/),
      expect.stringMatching(/^pkg-a\s+24\.4 KiB\s+25%\s+#+\.+\s+2 spaces\s+live$/),
    ])
    expect((await scratch(box.store, ['list', '--by', 'size'])).code).toBe(2)
  })

  test('on a terminal: coloured unless NO_COLOR', () => {
    builtRuntime()
    makeSpace(box.store, 'pkg-a', 'cache', 20_000)
    const onTty = (env: NodeJS.ProcessEnv): string => spawnSync('script', ['-qec', `node '${path.join(repoRoot, 'dist', 'cli.cjs')}' list --by owner`, '/dev/null'], {
      encoding: 'utf8', env: { ...process.env, SCRATCHSPACE_DIR: box.store, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined, TERM: 'xterm', ...env },
    }).stdout
    expect(onTty({})).toContain('█')
    const plain = onTty({ NO_COLOR: '1' })
    // (The progress line on stderr still clears itself: that is not colour.)
    expect(plain).not.toMatch(/\u001b\[\d+m/)
    expect(plain).toContain('#')
  })
})
