/** `scratch status`: the store at a glance, on real stores (the built CLI in a real process). */
import fs from 'node:fs'
import path from 'node:path'
import { initProject } from '../../src/integration/init'
import { projectWiring } from '../../src/integration/wiring'
import { DAY, makeSpace, npmProject, recordUse } from '../gc/support'
import { useSandbox } from '../runtime/support'
import { scratch } from './support'
import { bookkeepingDir } from '../../src/runtime/layout'
import { spawnSync } from 'node:child_process'

describe('scratch status', () => {
  const box = useSandbox()

  test('a missing store: empty, nothing created, exit 0', async () => {
    const result = await scratch(box.store, ['status', '--json'], { cwd: box.tmp })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      root: box.store, format: 1, exists: false, bytes: 0, spaces: 0, projects: { present: 0, unknown: 0, gone: 0 },
      lastGc: null, lastSweep: null, lastGcRun: null, upkeep: { enabled: true, due: null }, warnings: [], wired: null,
    })
    expect(fs.existsSync(box.store)).toBe(false)
    const human = await scratch(box.store, ['status'], { cwd: box.tmp })
    expect(human.stdout).toMatch(/^Store\s+.*\(format 1, empty: nothing stored yet\)$/m)
    expect(human.stdout).toMatch(/^Last gc\s+never$/m)
    expect(human.stdout).toMatch(/^This project\s+no project here/m)
  })

  test('an empty directory is an empty store', async () => {
    fs.mkdirSync(box.store)
    const status = JSON.parse((await scratch(box.store, ['status', '--json'], { cwd: box.tmp })).stdout)
    expect(status).toMatchObject({ exists: false, spaces: 0, bytes: 0 })
    expect(fs.readdirSync(box.store)).toEqual([])
  })

  test('a foreign root: ERR_SCRATCH_NOT_A_STORE, nothing touched', async () => {
    fs.mkdirSync(box.store)
    fs.writeFileSync(path.join(box.store, 'someone-elses.txt'), 'x')
    const result = await scratch(box.store, ['status', '--json'], { cwd: box.tmp })
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout).error.code).toBe('ERR_SCRATCH_NOT_A_STORE')
    expect(result.stderr).toMatch(/^ERR_SCRATCH_NOT_A_STORE: /)
    expect(fs.readdirSync(box.store)).toEqual(['someone-elses.txt'])
  })

  test('after a full gc: size, spaces, projects by status, the last gc and when the upkeep is next due', async () => {
    const p1 = npmProject(path.join(box.tmp, 'p1'), ['pkg-a'])
    const p2 = npmProject(path.join(box.tmp, 'p2'), ['pkg-b'])
    makeSpace(box.store, 'pkg-a', 'cache', 3000)
    makeSpace(box.store, 'pkg-b', 'cache', 5000)
    recordUse(box.store, { owner: 'pkg-a', key: 'cache' }, p1)
    recordUse(box.store, { owner: 'pkg-b', key: 'cache' }, p2)
    fs.rmSync(p2, { recursive: true })
    const before = Date.now()
    expect((await scratch(box.store, ['gc'])).code).toBe(0)
    makeSpace(box.store, 'pkg-a', 'other', 1000)
    const status = JSON.parse((await scratch(box.store, ['status', '--json'], { cwd: p1 })).stdout)
    expect(status).toMatchObject({
      exists: true, bytes: 4000, spaces: 2, projects: { present: 1, unknown: 0, gone: 0 },
      lastGcRun: { deleted: 1, freedBytes: 5000, warnings: [], automatic: false }, lastSweep: null,
      wired: { dir: p1, packageManager: 'npm', any: false },
    })
    expect(Date.parse(status.lastGc)).toBeGreaterThanOrEqual(before - 1000)
    // The next upkeep: 7 days after that gc.
    expect(Math.round((Date.parse(status.upkeep.due) - Date.parse(status.lastGc)) / DAY)).toBe(7)
    const human = (await scratch(box.store, ['status'], { cwd: p1 })).stdout
    expect(human).toMatch(/^Size\s+3\.9 KiB in 2 spaces$/m)
    expect(human).toMatch(/^Last gc\s+just now: deleted 1 space, freed 4\.9 KiB$/m)
    expect(human).toMatch(/^Upkeep\s+on: next automatic gc after \d{4}-\d\d-\d\d$/m)
    expect(human).toMatch(/^This project\s+.*p1 \(npm\): nothing wired; 'scratch init' sweeps after every install$/m)
  })

  test('the upkeep: off with SCRATCHSPACE_AUTO_GC=0, due when the last gc is older than 7 days', async () => {
    makeSpace(box.store, 'pkg-a', 'cache')
    expect((await scratch(box.store, ['gc'])).code).toBe(0)
    expect((await scratch(box.store, ['status'], { env: { SCRATCHSPACE_AUTO_GC: '0' } })).stdout).toMatch(/^Upkeep\s+off \(SCRATCHSPACE_AUTO_GC\)$/m)
    const stale = (Date.now() - 8 * DAY) / 1000
    fs.utimesSync(path.join(bookkeepingDir(box.store), 'upkeep.stamp'), stale, stale)
    expect((await scratch(box.store, ['status'])).stdout).toMatch(/^Upkeep\s+on: due, starts with the next space created$/m)
  })

  test('warnings of the last gc are shown under it', async () => {
    makeSpace(box.store, 'pkg-a', 'cache')
    fs.writeFileSync(path.join(bookkeepingDir(box.store), 'last-gc.json'), JSON.stringify({ at: new Date().toISOString(), deleted: 0, freedBytes: 0, warnings: ['automatic gc failed: the store is locked'], automatic: true }))
    const human = (await scratch(box.store, ['status'])).stdout
    expect(human).toMatch(/^Last gc\s+just now \(automatic\): deleted 0 spaces, freed 0 B\n\s+! automatic gc failed: the store is locked$/m)
  })

  test('lines fit the terminal', async () => {
    const deep = npmProject(path.join(box.tmp, 'a-very-long-directory-name-for-projects', 'and-another-level', 'p1'), ['pkg-a'])
    makeSpace(box.store, 'pkg-a', 'cache')
    for (const columns of [40, 80]) {
      const out = (await scratch(box.store, ['status'], { cwd: deep, env: { COLUMNS: String(columns) } })).stdout
      for (const line of out.trimEnd().split('\n')) expect({ line, fits: [...line].length <= columns }).toEqual({ line, fits: true })
    }
  })
})

describe('what a project has wired', () => {
  const box = useSandbox()

  test('project files that are FIFOs (no writer) are read as absent, without blocking status', async () => {
    const app = path.join(box.tmp, 'fifo-app')
    fs.mkdirSync(app)
    for (const name of ['package.json', '.yarnrc.yml', 'pnpm-workspace.yaml', '.pnpmfile.cjs', 'yarn.lock']) {
      expect(spawnSync('mkfifo', [path.join(app, name)]).status).toBe(0)
    }
    const started = Date.now()
    const result = await scratch(box.store, ['status', '--json'], { cwd: app })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).wired).toMatchObject({ dir: app, configDependency: false, pnpmfile: 'absent', npmScript: false, yarnPlugin: false, any: false })
    expect(Date.now() - started).toBeLessThan(10_000)
  }, 20_000)

  test('pnpm: the .pnpmfile.cjs bridge, the config dependency; npm: the script; yarn berry: the plugin; and found from a subdirectory', () => {
    const pnpm = path.join(box.tmp, 'pnpm-app')
    fs.mkdirSync(path.join(pnpm, 'src'), { recursive: true })
    fs.writeFileSync(path.join(pnpm, 'package.json'), '{ "name": "pnpm-app", "packageManager": "pnpm@10.0.0" }\n')
    expect(projectWiring(path.join(pnpm, 'src'), {})).toMatchObject({ dir: pnpm, packageManager: 'pnpm', pnpmfile: 'absent', configDependency: false, any: false })
    initProject(pnpm, { env: {} })
    expect(projectWiring(path.join(pnpm, 'src'), {})).toMatchObject({ pnpmfile: 'ours', any: true })
    fs.writeFileSync(path.join(pnpm, 'pnpm-workspace.yaml'), 'configDependencies:\n  pnpm-plugin-scratch: "1.0.0+sha512-x"\n')
    expect(projectWiring(pnpm, {})).toMatchObject({ configDependency: true })

    const npmApp = path.join(box.tmp, 'npm-app')
    fs.mkdirSync(npmApp)
    fs.writeFileSync(path.join(npmApp, 'package.json'), '{ "name": "npm-app" }\n')
    initProject(npmApp, { env: {}, packageManager: 'npm' })
    expect(projectWiring(npmApp, {})).toMatchObject({ packageManager: 'npm', npmScript: true, yarnPlugin: false, any: true })

    const yarnApp = path.join(box.tmp, 'yarn-app')
    fs.mkdirSync(yarnApp)
    fs.writeFileSync(path.join(yarnApp, 'package.json'), '{ "name": "yarn-app", "packageManager": "yarn@4.5.0" }\n')
    fs.writeFileSync(path.join(yarnApp, '.yarnrc.yml'), 'nodeLinker: node-modules\n')
    expect(projectWiring(yarnApp, {})).toMatchObject({ packageManager: 'yarn', yarnPlugin: false })
    initProject(yarnApp, { env: {} })
    expect(projectWiring(yarnApp, {})).toMatchObject({ yarnPlugin: true, any: true })
  })

  test('a package.json that is not JSON wires nothing and does not fail the status', () => {
    fs.mkdirSync(path.join(box.tmp, 'bad'))
    fs.writeFileSync(path.join(box.tmp, 'bad', 'package.json'), '{ not json')
    expect(projectWiring(path.join(box.tmp, 'bad'), {})).toMatchObject({ npmScript: false, any: false })
  })
})

describe('help', () => {
  const box = useSandbox()

  test('scratch help status and status --help: usage, options and examples; the command list names it', async () => {
    const help = await scratch(box.store, ['help', 'status'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage:\n  scratch status [--json]')
    expect(help.stdout).toMatch(/Examples:\n  scratch status\n  scratch status --json/)
    expect((await scratch(box.store, ['status', '--help'])).stdout).toBe(help.stdout)
    expect((await scratch(box.store, ['help'])).stdout).toMatch(/^  status\s+Show the store at a glance/m)
    const list = (await scratch(box.store, ['help', 'list'])).stdout
    expect(list).toContain('scratch list --by owner [--json]')
    expect(list).toContain('  scratch list --by owner\n')
  })
})
