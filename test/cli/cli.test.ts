import fs from 'node:fs'
import path from 'node:path'
import { writeCachedirTag } from '../../src/runtime/store-root'
import { useSandbox } from '../runtime/support'
import { DAY, makeSpace, npmProject, recordUse } from '../gc/support'
import { scratch } from './support'
import { BOOKKEEPING_DIR, bookkeepingDir } from '../../src/runtime/layout'

describe('scratch CLI', () => {
  const box = useSandbox()

  function world(): { p1: string } {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-b'])
    makeSpace(box.store, 'pkg-a', 'cache', 2048)
    makeSpace(box.store, 'pkg-b', 'cache', 1536 * 1024)
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1, Date.now() - 2 * DAY)
    recordUse(box.store, { owner: 'pkg-b', key: 'cache' }, p1)
    return { p1 }
  }

  test('no command prints the overview and exits 2; --help exits 0', async () => {
    const bare = await scratch(box.store, [])
    expect(bare.code).toBe(2)
    expect(bare.stdout).toMatch(/Commands:\n\s+gc/)
    const help = await scratch(box.store, ['--help'])
    expect(help.code).toBe(0)
  })

  test.each(['gc', 'list', 'clear', 'delete', 'path', 'register'])('%s --help shows usage and examples', async (command) => {
    const result = await scratch(box.store, [command, '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`Usage:\\n  scratch ${command}`))
    expect(result.stdout).toMatch(/Examples:\n  scratch /)
  })

  test.each([
    [['frobnicate']], [['gc', '--bogus']], [['gc', 'extra']], [['gc', '--grace', 'soon']], [['delete', 'only-owner']],
    [['clear']], [['clear', '--all']], [['path', 'a', 'b', 'c']],
  ])('usage error %j → exit 2, ERR_SCRATCH_USAGE and a hint on stderr, nothing on stdout', async (args) => {
    const result = await scratch(box.store, args)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^ERR_SCRATCH_USAGE: .+\n  hint: Run 'scratch/)
    expect(result.stdout).toBe('')
    expect(fs.existsSync(box.store)).toBe(false)
  })

  test('list: human table with sizes in binary units, verdicts and reasons', async () => {
    world()
    const result = await scratch(box.store, ['list'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^SPACE\s+SIZE\s+LAST USED\s+USED FROM\s+VERDICT\s+WHY$/m)
    expect(result.stdout).toMatch(/^pkg-a\/cache\s+2\.0 KiB\s+2 days ago\s+\S+p1\s+orphaned\s+pkg-a is not installed/m)
    // WHY does not repeat the project USED FROM shows.
    expect(result.stdout).toMatch(/^pkg-b\/cache\s+1\.5 MiB\s+just now\s+\S+p1\s+live\s+owner pkg-b is installed there$/m)
    expect(result.stdout).toMatch(/^2 spaces, 1\.5 MiB; 1 project known$/m)
    expect(result.stdout).not.toMatch(/\u001b\[/) // NO_COLOR
  })

  test('list --json and gc --dry-run --json follow the contract shape; a real gc says deleted', async () => {
    const { p1 } = world()
    const list = JSON.parse((await scratch(box.store, ['list', '--json'])).stdout)
    expect(list).toMatchObject({ dryRun: true, freedBytes: 2048, projects: [{ dir: p1, status: 'present', lockfiles: [path.join(p1, 'package-lock.json')] }] })
    expect(list.spaces[0]).toEqual(expect.objectContaining({
      owner: 'pkg-a', key: 'cache', path: path.join(box.store, 'pkg-a', 'cache'), bytes: 2048, tracked: true,
      lastAccess: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), projects: [p1], verdict: 'orphaned', action: 'delete', reason: expect.any(String),
    }))
    const dry = JSON.parse((await scratch(box.store, ['gc', '--dry-run', '--json'])).stdout)
    expect(dry.spaces.map((s: { action: string }) => s.action)).toEqual(['delete', 'keep'])
    // --json sizes the kept space too; the table sizes only what it deletes.
    expect(dry.spaces[1]).toMatchObject({ owner: 'pkg-b', bytes: 1.5 * 1024 * 1024 })
    expect(dry.spaces[1].sized).toBeUndefined()
    const table = (await scratch(box.store, ['gc', '--dry-run'])).stdout
    expect(table).toMatch(/^pkg-a\/cache\s+2\.0 KiB\s+.*orphaned/m)
    expect(table).toMatch(/^pkg-b\/cache\s+—\s+just now\s+.*live/m)
    const real = await scratch(box.store, ['gc', '--json'])
    expect(real.code).toBe(0)
    const report = JSON.parse(real.stdout)
    expect(report).toMatchObject({ dryRun: false, freedBytes: 2048 })
    expect(report.spaces.map((s: { action: string }) => s.action)).toEqual(['deleted', 'keep'])
  })

  test('gc: human summary; nothing to do is success', async () => {
    world()
    const first = await scratch(box.store, ['gc'])
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/Deleted 1 space, 2\.0 KiB; kept 1/)
    const second = await scratch(box.store, ['gc'])
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/Deleted 0 spaces, 0 B; kept 1/)
  })

  test('gc --project sweeps one project and exits 0 even when the store is unusable', async () => {
    const { p1 } = world()
    npmProject(p1, [])
    const swept = await scratch(box.store, ['gc', '--project', p1])
    expect(swept.code).toBe(0)
    expect(fs.existsSync(path.join(box.store, 'pkg-b', 'cache'))).toBe(false)
    const file = path.join(box.tmp, 'a-file')
    fs.writeFileSync(file, '')
    const broken = await scratch(path.join(file, 'store'), ['gc', '--project', p1])
    expect(broken.code).toBe(0)
    expect(broken.stderr.trim().split('\n')).toHaveLength(1)
    expect(broken.stderr).toMatch(/^scratch: warning: /)
  })

  test('gc --project with SCRATCHSPACE_AUTO_GC=0 registers the project and deletes nothing (the npm script honours the switch)', async () => {
    const { p1 } = world()
    npmProject(p1, [])
    const off = await scratch(box.store, ['gc', '--project', p1], { env: { SCRATCHSPACE_AUTO_GC: 'off' } })
    expect(off.code).toBe(0)
    expect(fs.existsSync(path.join(box.store, 'pkg-b', 'cache'))).toBe(true)
    const on = await scratch(box.store, ['gc', '--project', p1])
    expect(on.code).toBe(0)
    expect(fs.existsSync(path.join(box.store, 'pkg-b', 'cache'))).toBe(false)
  })

  test('gc never removes "leftovers" through a bookkeeping directory or namespace that is a link out of the store', async () => {
    world()
    const outside = path.join(box.tmp, 'home')
    fs.mkdirSync(path.join(outside, '.config.tmp'), { recursive: true })
    fs.mkdirSync(path.join(outside, '.trash-mine'), { recursive: true })
    fs.mkdirSync(path.join(outside, '.data.tmp-123'), { recursive: true })
    // Marked by its CACHEDIR.TAG, with .scratch and a namespace replaced by links to a home directory.
    writeCachedirTag(box.store)
    fs.rmSync(bookkeepingDir(box.store), { recursive: true, force: true })
    fs.symlinkSync(outside, bookkeepingDir(box.store))
    fs.symlinkSync(outside, path.join(box.store, 'linked-pkg'))
    for (const args of [['gc'], ['gc', '--dry-run'], ['list']]) await scratch(box.store, args)
    expect(fs.readdirSync(outside).sort()).toEqual(['.config.tmp', '.data.tmp-123', '.trash-mine'])
    expect((await scratch(box.store, ['gc'])).stderr).toMatch(/ERR_SCRATCH_NOT_A_STORE/)
  })

  test('delete, path and clear', async () => {
    world()
    expect((await scratch(box.store, ['path'])).stdout).toBe(`${box.store}\n`)
    expect((await scratch(box.store, ['path', '@scope/x', 'k'])).stdout).toBe(`${path.join(box.store, '@scope', 'x', 'k')}\n`)
    expect((await scratch(box.store, ['path', '--global', 'k'])).stdout).toBe(`${path.join(box.store, '_global', 'k')}\n`)
    const bad = await scratch(box.store, ['path', 'Bad_Name'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^ERR_SCRATCH_INVALID_OWNER: .*"Bad_Name"/)

    const del = await scratch(box.store, ['delete', 'pkg-a', 'cache', '--json'])
    expect(JSON.parse(del.stdout)).toEqual({ removed: true, owner: 'pkg-a', key: 'cache' })
    expect((await scratch(box.store, ['delete', 'pkg-a', 'cache'])).stdout).toMatch(/nothing to delete/)
    expect((await scratch(box.store, ['delete', 'pkg-a', '../../etc'])).stderr).toMatch(/^ERR_SCRATCH_INVALID_KEY/)

    makeSpace(box.store, null, 'shared', 10)
    const dry = JSON.parse((await scratch(box.store, ['clear', '--all', '--dry-run', '--json'])).stdout)
    expect(dry.spaces.map((s: { owner: string | null }) => s.owner)).toEqual([null, 'pkg-b'])
    expect((await scratch(box.store, ['clear', '--global'])).stdout).toMatch(/Deleted 1 space/)
    const all = await scratch(box.store, ['clear', '--all', '--force'])
    expect(all.code).toBe(0)
    expect(fs.readdirSync(box.store).sort()).toEqual([BOOKKEEPING_DIR, 'CACHEDIR.TAG'])
  })

  test('register records a project for later runs', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    makeSpace(box.store, 'pkg-a', 'cache', 10, 9 * DAY)
    const result = await scratch(box.store, ['register', p1, '--json'])
    expect(JSON.parse(result.stdout)).toMatchObject({ dir: p1, status: 'present' })
    const list = JSON.parse((await scratch(box.store, ['list', '--json'])).stdout)
    expect(list.spaces[0]).toMatchObject({ owner: 'pkg-a', verdict: 'live', tracked: false })
  })

  test('register refuses a root that is not a store, and leaves it as it was', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    fs.mkdirSync(box.store, { recursive: true })
    fs.writeFileSync(path.join(box.store, 'someone-elses.txt'), 'x')
    const result = await scratch(box.store, ['register', p1])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^ERR_SCRATCH_NOT_A_STORE: /)
    expect(fs.readdirSync(box.store)).toEqual(['someone-elses.txt'])
  })

  test('a file-system failure prints its code and a hint, no stack trace, and exits 1', async () => {
    const file = path.join(box.tmp, 'a-file')
    fs.writeFileSync(file, '')
    makeSpace(box.store, 'pkg-a', 'cache')
    // The bookkeeping directory is a regular file: the lock cannot be made there, and the root is
    // refused (a coded error either way, never a stack trace).
    writeCachedirTag(box.store)
    fs.rmSync(bookkeepingDir(box.store), { recursive: true })
    fs.writeFileSync(bookkeepingDir(box.store), 'not a directory')
    const result = await scratch(box.store, ['clear', 'pkg-a'])
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.stderr).toMatch(/^ERR_SCRATCH_\w+: .*\.scratch[^]*hint: /)
    expect(result.code).toBe(1)
  })
})

describe('scratch list fits the terminal', () => {
  const box = useSandbox()

  test.each([40, 80, 200])('at %i columns every line fits, and no row is split', async (columns) => {
    const deep = npmProject(path.join(box.tmp, 'a-very-long-directory-name-for-projects', 'and-another-level', 'p1'), ['pkg-b'])
    makeSpace(box.store, '@some-long-scope/a-package-with-a-long-name', 'a-cache-key-that-is-long-too', 2048)
    makeSpace(box.store, 'pkg-b', 'cache', 1536 * 1024)
    recordUse(box.store, { owner: '@some-long-scope/a-package-with-a-long-name', key: 'a-cache-key-that-is-long-too' }, deep, Date.now() - 2 * DAY)
    recordUse(box.store, { owner: 'pkg-b', key: 'cache' }, deep)
    const result = await scratch(box.store, ['list'], { env: { COLUMNS: String(columns) } })
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    for (const line of lines) expect({ line, fits: [...line].length <= columns }).toEqual({ line, fits: true })
    // Header, two rows, the summary: nothing wrapped onto extra lines.
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^SPACE\s+SIZE/)
    expect(lines[1]).toMatch(/^@some-long-/)
    expect(lines[2]).toMatch(/^pkg-b\/cache\s+1\.5 MiB/)
    if (columns === 200) expect(lines[1]).toContain('@some-long-scope/a-package-with-a-long-name/a-cache-key-that-is-long-too')
    else expect(lines[1]).toContain('…')
  })
})
