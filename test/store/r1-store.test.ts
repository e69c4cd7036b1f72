/**
 * A store written by the first revision (test/fixtures/r1-store, with how it was made) stays
 * readable: every line and state file is understood, live spaces stay, orphaned ones go.
 */
import fs from 'node:fs'
import path from 'node:path'
import { runGc, scopedSweep } from '../../src/gc'
import { readHistory } from '../../src/store/history'
import { loadOrphanMarks } from '../../src/store/orphans'
import { loadRegistry } from '../../src/store/registry'
import { useSandbox } from '../runtime/support'
import { r1Store } from './r1-fixture'
import { bookkeepingDir } from '../../src/runtime/layout'

describe('a store of the first revision', () => {
  const box = useSandbox()
  const spaceIds = (report: { spaces: Array<{ owner: string | null; key: string; action: string }> }, action: string): string[] =>
    report.spaces.filter((s) => s.action === action).map((s) => `${s.owner ?? '_global'}/${s.key}`).sort()

  test('is read whole: no damaged or unknown line, the registry, names table and marks as written', () => {
    const { store, work } = r1Store(box.tmp)
    const history = readHistory(store)
    expect(history.damagedLines).toEqual(new Map())
    expect(history.unknownLines).toEqual(new Map())
    expect([...history.spaces.keys()].sort()).toEqual(['_global/shared', 'r1-pkg-gone/cache', 'r1-pkg-live/cache', 'r1-pkg-old/cache', 'r1-pkg-reg/cache'])
    expect(history.registrations.has(path.join(work, 'app-reg'))).toBe(true)
    const registry = loadRegistry(store)
    expect(registry.state).toBe('ok')
    const projects = registry.state === 'ok' ? registry.value.projects : {}
    expect(Object.keys(projects).sort()).toEqual(['app-live', 'app-old', 'app-reg'].map((name) => path.join(work, name)))
    expect(projects[path.join(work, 'app-reg')].names).toEqual(['r1-app-reg', 'r1-pkg-reg'])
    const marks = loadOrphanMarks(store)
    expect(marks.state === 'ok' && Object.keys(marks.value.marks).sort()).toEqual(['r1-pkg-gone/cache', 'r1-pkg-old/cache'])
  })

  test('the full gc keeps the live spaces, deletes the orphaned ones, warns about nothing', async () => {
    const { store, spaces } = r1Store(box.tmp)
    const dry = await runGc({ dryRun: true })
    expect(dry.warnings).toEqual([])
    expect(dry.spaces.filter((s) => s.verdict === 'orphaned').map((s) => `${s.owner}/${s.key}`).sort()).toEqual([...spaces.orphaned].sort())
    const gc = await runGc()
    expect(gc.warnings).toEqual([])
    expect(spaceIds(gc, 'keep')).toEqual([...spaces.live].sort())
    expect(spaceIds(gc, 'deleted')).toEqual([...spaces.orphaned].sort())
    for (const id of spaces.live) expect(fs.readdirSync(path.join(store, ...id.split('/')))).toEqual(['data'])
    for (const id of spaces.orphaned) expect(fs.existsSync(path.join(store, ...id.split('/')))).toBe(false)
    // The store now has its format file, and what the gc rewrote reads back whole.
    expect(fs.readFileSync(path.join(bookkeepingDir(store), 'format'), 'utf8')).toBe('1\n')
    const after = readHistory(store)
    expect([after.damagedLines.size, after.unknownLines.size]).toEqual([0, 0])
  })

  test('the sweep for the project that uninstalled two packages deletes the one no project lists, keeps the registered project\'s', () => {
    const { store, work } = r1Store(box.tmp)
    const sweep = scopedSweep({ projectDir: path.join(work, 'app-old') })
    expect(sweep.warnings).toEqual([])
    expect(spaceIds(sweep, 'deleted')).toEqual(['r1-pkg-old/cache'])
    expect(sweep.spaces.find((s) => s.owner === 'r1-pkg-reg')).toMatchObject({ action: 'keep', reason: `owner r1-pkg-reg is installed in ${path.join(work, 'app-reg')}` })
    expect(fs.existsSync(path.join(store, 'r1-pkg-live', 'cache'))).toBe(true)
  })
})
