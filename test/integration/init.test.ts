import fs from 'node:fs'
import path from 'node:path'
import { main } from '../../src/cli/main'
import type { Io } from '../../src/cli/io'
import { ScratchError } from '../../src/errors'
import { chainGcScript, GC_SCRIPT, initProject } from '../../src/integration/init'
import { removeTempDirs, tempDir } from '../helpers/tmp'

afterEach(() => removeTempDirs())

function project(files: Record<string, string>): string {
  const dir = tempDir()
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), text)
  }
  return dir
}

const read = (dir: string): string => fs.readFileSync(path.join(dir, 'package.json'), 'utf8')
const noAgent = { env: {} }

function memoryIo(cwd: string, env: NodeJS.ProcessEnv = {}): Io & { out: string; err: string } {
  const io = {
    out: '', err: '', interactive: false, color: false, env, cwd,
    stdout(text: string) { io.out += text },
    stderr(text: string) { io.err += text },
    confirm: async () => false,
  }
  return io
}

describe('chainGcScript', () => {
  test.each([
    [undefined, GC_SCRIPT],
    ['', GC_SCRIPT],
    ['node build.js', `node build.js && ${GC_SCRIPT}`],
    ['scratch gc --project .', null],
    ['node x && scratch gc', null],
    ['npx scratch gc --project . --json', null],
    ['my-scratch gc-like', `my-scratch gc-like && ${GC_SCRIPT}`],
  ])('%j → %j', (existing, expected) => {
    expect(chainGcScript(existing)).toBe(expected)
  })
})

describe('initProject', () => {
  test('npm (package-lock.json): adds scripts.dependencies, keeping indentation, key order and the final newline', () => {
    const dir = project({
      'package.json': '{\n    "name": "app",\n    "scripts": {\n        "test": "jest"\n    },\n    "devDependencies": {\n        "pnpm-plugin-scratch": "^0.1.0"\n    }\n}\n',
      'package-lock.json': '{}',
    })
    const result = initProject(dir, noAgent)
    expect(result).toMatchObject({ packageManager: 'npm', detectedFrom: 'package-lock.json', warnings: [] })
    expect(result.changes).toEqual([{ file: path.join(dir, 'package.json'), field: 'scripts.dependencies', before: null, after: GC_SCRIPT }])
    expect(read(dir)).toBe('{\n    "name": "app",\n    "scripts": {\n        "test": "jest",\n        "dependencies": "scratch gc --project ."\n' +
      '    },\n    "devDependencies": {\n        "pnpm-plugin-scratch": "^0.1.0"\n    }\n}\n')
  })

  test('is idempotent: a second run changes nothing and says so', () => {
    const dir = project({ 'package.json': '{"name":"app"}', 'package-lock.json': '{}' })
    expect(initProject(dir, noAgent).changes).toHaveLength(1)
    const before = read(dir)
    const again = initProject(dir, noAgent)
    expect(again.changes).toEqual([])
    expect(again.unchanged).toEqual(['scripts.dependencies already runs scratch gc'])
    expect(read(dir)).toBe(before)
  })

  test('chains after a different existing script; tabs, CRLF and a missing final newline survive', () => {
    const dir = project({ 'package.json': '{\r\n\t"name": "app",\r\n\t"scripts": {\r\n\t\t"dependencies": "node patch.js"\r\n\t}\r\n}' })
    const result = initProject(dir, { env: { npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false' } })
    expect(result.detectedFrom).toBe('npm_config_user_agent (npm/11.19.1)')
    expect(result.changes[0]).toMatchObject({ before: 'node patch.js', after: `node patch.js && ${GC_SCRIPT}` })
    expect(read(dir)).toBe(`{\r\n\t"name": "app",\r\n\t"scripts": {\r\n\t\t"dependencies": "node patch.js && ${GC_SCRIPT}"\r\n\t}\r\n}`)
  })

  test('pnpm (pnpm-lock.yaml): adds scripts.postuninstall and explains the config-dependency route', () => {
    const dir = project({ 'package.json': '{"name":"app","devDependencies":{"pnpm-plugin-scratch":"^0.1.0"}}', 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" })
    const result = initProject(dir, noAgent)
    expect(result.packageManager).toBe('pnpm')
    expect(result.changes.map((c) => c.field)).toEqual(['scripts.postuninstall'])
    expect(result.notes.join('\n')).toMatch(/pnpm add --config pnpm-plugin-scratch/)
    expect(JSON.parse(read(dir)).scripts).toEqual({ postuninstall: GC_SCRIPT })
  })

  test('pnpm with the plugin already a config dependency says so instead', () => {
    const dir = project({
      'package.json': '{"name":"app"}',
      'pnpm-lock.yaml': '',
      'pnpm-workspace.yaml': 'packages:\n  - a\nconfigDependencies:\n  pnpm-plugin-scratch: 0.1.0+sha512-abc\n',
    })
    const notes = initProject(dir, noAgent).notes.join('\n')
    expect(notes).toMatch(/installed as a config dependency/)
    expect(notes).not.toMatch(/pnpm add --config/)
  })

  test('detection: the packageManager field, and the field picking among several lockfiles', () => {
    const byField = project({ 'package.json': '{"name":"app","packageManager":"pnpm@12.21.0"}' })
    expect(initProject(byField, noAgent)).toMatchObject({ packageManager: 'pnpm', detectedFrom: 'packageManager field (pnpm@12.21.0)' })
    const both = project({ 'package.json': '{"name":"app","packageManager":"pnpm@10.34.9"}', 'package-lock.json': '{}', 'pnpm-lock.yaml': '' })
    expect(initProject(both, noAgent)).toMatchObject({ packageManager: 'pnpm', detectedFrom: 'pnpm-lock.yaml' })
    const nothing = project({ 'package.json': '{"name":"app"}' })
    expect(initProject(nothing, noAgent).packageManager).toBe('npm')
  })

  test('yarn 1: nothing to wire, a note says why', () => {
    const dir = project({ 'package.json': '{"name":"app"}', 'yarn.lock': '# yarn lockfile v1\n' })
    const result = initProject(dir, noAgent)
    expect(result).toMatchObject({ packageManager: 'yarn', changes: [] })
    expect(result.notes[0]).toMatch(/runs no script/)
    expect(read(dir)).toBe('{"name":"app"}')
  })

  test('warns when pnpm-plugin-scratch is not a dependency (the script would fail the package manager)', () => {
    const dir = project({ 'package.json': '{"name":"app"}', 'pnpm-lock.yaml': '' })
    expect(initProject(dir, noAgent).warnings).toEqual([expect.stringMatching(/pnpm add --save-dev pnpm-plugin-scratch/)])
  })

  test('--dry-run reports the change and writes nothing', () => {
    const dir = project({ 'package.json': '{"name":"app"}' })
    const result = initProject(dir, { env: {}, dryRun: true })
    expect(result.changes).toHaveLength(1)
    expect(read(dir)).toBe('{"name":"app"}')
  })

  test('no or broken package.json is ERR_SCRATCH_USAGE', () => {
    expect(() => initProject(tempDir(), noAgent)).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_USAGE' }) as ScratchError)
    const broken = project({ 'package.json': '{"name": ' })
    expect(() => initProject(broken, noAgent)).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_USAGE' }) as ScratchError)
  })
})

describe('scratch init', () => {
  test('prints what it changed, then that nothing is left to change', async () => {
    const dir = project({ 'package.json': '{"name":"app"}', 'package-lock.json': '{}' })
    const io = memoryIo(dir)
    expect(await main(['init'], io)).toBe(0)
    expect(io.out).toContain('Changed:\n  package.json scripts.dependencies: (none) -> "scratch gc --project ."')
    expect(io.err).toMatch(/^scratch: warning: pnpm-plugin-scratch is not a dependency/)
    const again = memoryIo(dir)
    expect(await main(['init', '.'], again)).toBe(0)
    expect(again.out).toContain('Nothing to change: scripts.dependencies already runs scratch gc.')
  })

  test('--json prints the result as the only thing on stdout', async () => {
    const dir = project({ 'package.json': '{"name":"app"}' })
    const io = memoryIo(path.dirname(dir))
    expect(await main(['init', path.basename(dir), '--json', '--package-manager', 'pnpm'], io)).toBe(0)
    expect(JSON.parse(io.out)).toMatchObject({ dir, packageManager: 'pnpm', detectedFrom: '--package-manager', changes: [{ field: 'scripts.postuninstall' }] })
  })

  test('usage errors exit 2: an unknown package manager, a directory without package.json', async () => {
    const dir = project({ 'package.json': '{"name":"app"}' })
    expect(await main(['init', '--package-manager', 'cargo'], memoryIo(dir))).toBe(2)
    expect(await main(['init', 'missing'], memoryIo(dir))).toBe(2)
  })

  test('--help shows examples', async () => {
    const io = memoryIo(tempDir())
    expect(await main(['init', '--help'], io)).toBe(0)
    expect(io.out).toMatch(/Examples:\n {2}npx scratch init/)
  })
})
