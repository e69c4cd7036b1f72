import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { main } from '../../src/cli/main'
import type { Io } from '../../src/cli/io'
import { ScratchError } from '../../src/errors'
import { initProject, undoInit } from '../../src/integration/init'
import { LEGACY_GC_SCRIPT, NPM_GC_SCRIPT, SHELL_SPECIAL } from '../../src/integration/npm-script'
import { BRIDGE_TEXT } from '../../src/integration/pnpm-bridge'
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
const scripts = (dir: string): unknown => (JSON.parse(read(dir)) as { scripts?: unknown }).scripts
const noAgent = { env: {} }
const DEV = '"devDependencies":{"pnpm-plugin-scratch":"^0.1.0"}'

function memoryIo(cwd: string, env: NodeJS.ProcessEnv = {}): Io & { out: string; err: string } {
  const io = {
    out: '', err: '', interactive: false, color: false, env, cwd,
    stdout(text: string) { io.out += text },
    stderr(text: string) { io.err += text },
    confirm: async () => false,
  }
  return io
}

describe('npm: the "dependencies" script', () => {
  test('adds the script, keeping indentation, key order, the final newline and the file mode (0644 stays 0644)', () => {
    const text = '{\n    "name": "app",\n    "scripts": {\n        "test": "jest"\n    },\n    "devDependencies": {\n        "pnpm-plugin-scratch": "^0.1.0"\n    }\n}\n'
    const dir = project({ 'package.json': text, 'package-lock.json': '{}' })
    fs.chmodSync(path.join(dir, 'package.json'), 0o644)
    const result = initProject(dir, noAgent)
    expect(result).toMatchObject({ packageManager: 'npm', detectedFrom: 'package-lock.json', warnings: [] })
    expect(result.changes).toEqual([{ file: path.join(dir, 'package.json'), field: 'scripts.dependencies', before: null, after: NPM_GC_SCRIPT }])
    expect(read(dir)).toBe(text.replace('"test": "jest"\n', `"test": "jest",\n        "dependencies": ${JSON.stringify(NPM_GC_SCRIPT)}\n`))
    expect(fs.statSync(path.join(dir, 'package.json')).mode & 0o777).toBe(0o644)
  })

  test('a 0664 file stays 0664; tabs, CRLF, a BOM and a missing final newline survive; one-line JSON stays one line', () => {
    const dir = project({ 'package.json': '\uFEFF{\r\n\t"name": "app",\r\n\t"scripts": {\r\n\t\t"dependencies": "node patch.js"\r\n\t}\r\n}' })
    fs.chmodSync(path.join(dir, 'package.json'), 0o664)
    const result = initProject(dir, { env: { npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false' } })
    expect(result.detectedFrom).toBe('npm_config_user_agent (npm/11.19.1)')
    expect(result.changes[0]).toMatchObject({ before: 'node patch.js', after: `node patch.js && ${NPM_GC_SCRIPT}` })
    expect(read(dir)).toBe(`\uFEFF{\r\n\t"name": "app",\r\n\t"scripts": {\r\n\t\t"dependencies": ${JSON.stringify(`node patch.js && ${NPM_GC_SCRIPT}`)}\r\n\t}\r\n}`)
    expect(fs.statSync(path.join(dir, 'package.json')).mode & 0o777).toBe(0o664)
    const compact = project({ 'package.json': '{"name":"app"}' })
    initProject(compact, noAgent)
    expect(read(compact)).toBe(`{"name":"app","scripts":{"dependencies":${JSON.stringify(NPM_GC_SCRIPT)}}}`)
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

  test.each([
    [LEGACY_GC_SCRIPT, NPM_GC_SCRIPT],
    [`node a.js && ${LEGACY_GC_SCRIPT}`, `node a.js && ${NPM_GC_SCRIPT}`],
    [`${LEGACY_GC_SCRIPT} && node a.js`, `${NPM_GC_SCRIPT} && node a.js`],
    [`${LEGACY_GC_SCRIPT} && ${NPM_GC_SCRIPT}`, NPM_GC_SCRIPT],
  ])('upgrades the revision-1 text in %j', (before, after) => {
    const dir = project({ 'package.json': JSON.stringify({ name: 'app', scripts: { dependencies: before } }) })
    expect(initProject(dir, noAgent).changes).toEqual([expect.objectContaining({ before, after })])
    expect(initProject(dir, noAgent).changes).toEqual([])
  })

  test('a gc the user wrote is left alone; an unrelated script is chained, never replaced', () => {
    const own = project({ 'package.json': JSON.stringify({ name: 'app', scripts: { dependencies: 'npx pnpm-plugin-scratch gc --json' } }) })
    expect(initProject(own, noAgent).changes).toEqual([])
    const other = project({ 'package.json': JSON.stringify({ name: 'app', scripts: { dependencies: 'my-scratch gc-like' } }) })
    expect(initProject(other, noAgent).changes[0].after).toBe(`my-scratch gc-like && ${NPM_GC_SCRIPT}`)
  })

  test('warns when pnpm-plugin-scratch is not a dependency (the script then does nothing)', () => {
    const dir = project({ 'package.json': '{"name":"app"}', 'package-lock.json': '{}' })
    expect(initProject(dir, noAgent).warnings).toEqual([expect.stringMatching(/npm install --save-dev pnpm-plugin-scratch/)])
  })
})

describe('the npm script text under both shells', () => {
  // The program inside the one double-quoted word.
  const program = /^node -e "([^"]*)"$/.exec(NPM_GC_SCRIPT)?.[1]

  test('is one double-quoted `node -e` word with nothing sh or cmd expands inside, and valid JavaScript', () => {
    expect(program).toBeDefined()
    // sh expands $ ` \ inside double quotes (and ! interactively); cmd expands %VAR% and, with
    // delayed expansion, !VAR!; ^ escapes outside quotes. None of them may appear.
    for (const ch of ['"', '$', '`', '\\', '%', '!', '^', '\n', '\r']) expect(program?.includes(ch)).toBe(false)
    expect(SHELL_SPECIAL.test(program ?? '"')).toBe(false)
    // Outside the quotes, nothing for cmd to interpret (& | < > ( ) are commands there).
    expect(NPM_GC_SCRIPT.replace(/"[^"]*"/, '')).toBe('node -e ')
    expect(() => new Function(program ?? '')).not.toThrow()
  })

  /**
   * What Windows does with a script npm runs: `cmd /d /s /c "<script>"` (/s strips the outer
   * quotes; outside double quotes `& | < > ( ) ^` are cmd syntax, and `%VAR%` expands anywhere),
   * then node.exe splits its command line by the MSVC rules (CommandLineToArgvW: whitespace
   * separates, double quotes group, backslashes escape only before a quote).
   */
  function windowsArgv(script: string): string[] {
    // npm wraps the script in quotes for /c, and /s strips exactly those again: cmd sees the script.
    const line = script
    let quoted = false
    for (const ch of line) {
      if (ch === '"') quoted = !quoted
      else if (!quoted && '&|<>()^'.includes(ch)) throw new Error(`cmd would interpret ${ch} outside quotes`)
      if (ch === '%') throw new Error('cmd would expand %…%')
    }
    const args: string[] = []
    let current = ''
    let inArg = false
    quoted = false
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]
      if (ch === '\\') throw new Error('backslashes make the MSVC rules depend on what follows')
      if (ch === '"') { quoted = !quoted; inArg = true; continue }
      if (!quoted && (ch === ' ' || ch === '\t')) {
        if (inArg) args.push(current)
        current = ''
        inArg = false
        continue
      }
      current += ch
      inArg = true
    }
    if (inArg) args.push(current)
    return args
  }

  test('on Windows, cmd passes node exactly the program', () => {
    expect(windowsArgv(NPM_GC_SCRIPT)).toEqual(['node', '-e', program])
    // The checker itself catches what would break: an operator outside quotes, a %VAR%.
    expect(() => windowsArgv('node -e "x" & echo')).toThrow(/outside quotes/)
    expect(() => windowsArgv('node -e "%PATH%"')).toThrow(/expand/)
  })

  test('under sh, word splitting and quote removal pass node exactly the program', () => {
    const result = spawnSync('sh', ['-c', NPM_GC_SCRIPT.replace(/^node -e /, 'printf "%s\\n" ')], { encoding: 'utf8' })
    expect(result.stdout).toBe(`${program}\n`)
  })

  function fakePackage(dir: string, bin: string): void {
    const pkg = path.join(dir, 'node_modules', 'pnpm-plugin-scratch')
    fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true })
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'pnpm-plugin-scratch', bin: { scratch: 'dist/cli.cjs' } }))
    fs.writeFileSync(path.join(pkg, 'dist', 'cli.cjs'), bin)
  }

  const sh = (cwd: string) => spawnSync('sh', ['-c', NPM_GC_SCRIPT], { cwd, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } })

  test('run by sh: exits 0 without the package, so `npm ci --omit=dev` and `npm uninstall` pass', () => {
    const result = sh(project({ 'package.json': '{"name":"app"}' }))
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' })
  })

  test('run by sh: runs the installed CLI as `scratch gc --project .`', () => {
    const dir = project({ 'package.json': '{"name":"app"}' })
    fakePackage(dir, 'require("fs").writeFileSync("argv.json", JSON.stringify(process.argv.slice(2)))')
    expect(sh(dir).status).toBe(0)
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'argv.json'), 'utf8'))).toEqual(['gc', '--project', '.'])
  })

  test('run by sh: exits 0 even when the CLI throws or sets a failing exit code', () => {
    const throws = project({ 'package.json': '{"name":"app"}' })
    fakePackage(throws, 'throw new Error("broken install")')
    expect(sh(throws).status).toBe(0)
    const fails = project({ 'package.json': '{"name":"app"}' })
    fakePackage(fails, 'process.exitCode = 1')
    expect(sh(fails).status).toBe(0)
  })
})

describe('pnpm: the .pnpmfile.cjs bridge', () => {
  test('writes the bridge, removes the revision-1 postuninstall, and prints the config-dependency command', () => {
    const dir = project({ 'package.json': JSON.stringify({ name: 'app', scripts: { postuninstall: LEGACY_GC_SCRIPT }, devDependencies: { 'pnpm-plugin-scratch': '^0.1.0' } }), 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" })
    const result = initProject(dir, noAgent)
    expect(result.packageManager).toBe('pnpm')
    expect(result.changes.map((c) => [c.field, c.after])).toEqual([['scripts.postuninstall', null], [null, 'created']])
    expect(result.notes.join('\n')).toMatch(/pnpm add --config pnpm-plugin-scratch/)
    expect(result.warnings).toEqual([])
    expect(scripts(dir)).toBeUndefined()
    expect(fs.readFileSync(path.join(dir, '.pnpmfile.cjs'), 'utf8')).toBe(BRIDGE_TEXT)
    expect(initProject(dir, noAgent).changes).toEqual([])
  })

  test('never writes a script pnpm 10 does not run', () => {
    const dir = project({ 'package.json': `{"name":"app","packageManager":"pnpm@10.34.9",${DEV}}` })
    initProject(dir, noAgent)
    expect(scripts(dir)).toBeUndefined()
  })

  test('the bridge exports the same hooks with and without the package, and delegates once it is installed', () => {
    const dir = project({ 'package.json': '{"name":"app"}', '.pnpmfile.cjs': BRIDGE_TEXT })
    // In a real node process, as pnpm loads it (jest's module system resolves differently).
    const probe = () => {
      const script = `const b = require(${JSON.stringify(path.join(dir, '.pnpmfile.cjs'))}); const l = { importers: {} };
        b.hooks.preResolution({ lockfileDir: 'D' }, {});
        console.log(JSON.stringify({ keys: Object.keys(b.hooks), seen: globalThis.seen ?? null, out: b.hooks.afterAllResolved(l, {}) }))`
      const result = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } })
      expect(result.stderr).toBe('')
      return JSON.parse(result.stdout) as unknown
    }
    expect(probe()).toEqual({ keys: ['preResolution', 'afterAllResolved'], seen: null, out: { importers: {} } })
    const pkg = path.join(dir, 'node_modules', 'pnpm-plugin-scratch')
    fs.mkdirSync(pkg, { recursive: true })
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"pnpm-plugin-scratch"}')
    fs.writeFileSync(path.join(pkg, 'pnpmfile.cjs'), 'module.exports = { hooks: { preResolution: (ctx) => { globalThis.seen = ctx.lockfileDir }, afterAllResolved: (l) => ({ ...l, swept: true }) } }')
    expect(probe()).toEqual({ keys: ['preResolution', 'afterAllResolved'], seen: 'D', out: { importers: {}, swept: true } })
    // Installed as a config dependency too: pnpm loads that one, the bridge stands aside.
    fs.mkdirSync(path.join(dir, 'node_modules', '.pnpm-config', 'pnpm-plugin-scratch'), { recursive: true })
    expect(probe()).toEqual({ keys: ['preResolution', 'afterAllResolved'], seen: null, out: { importers: {} } })
  })

  test('with the plugin a config dependency: no bridge, and it says so', () => {
    const dir = project({
      'package.json': `{"name":"app",${DEV}}`,
      'pnpm-lock.yaml': '',
      'pnpm-workspace.yaml': 'packages:\n  - a\nconfigDependencies:\n  pnpm-plugin-scratch: 0.1.0+sha512-abc\n',
    })
    const result = initProject(dir, noAgent)
    expect(result.changes).toEqual([])
    expect(result.unchanged.join('\n')).toMatch(/is a config dependency/)
    expect(fs.existsSync(path.join(dir, '.pnpmfile.cjs'))).toBe(false)
  })

  test('a .pnpmfile.cjs of the user is never changed; a pnpmfile setting is reported', () => {
    const dir = project({ 'package.json': `{"name":"app",${DEV}}`, 'pnpm-lock.yaml': '', '.pnpmfile.cjs': 'module.exports = {}\n' })
    const result = initProject(dir, noAgent)
    expect(result.changes).toEqual([])
    expect(result.warnings).toEqual([expect.stringMatching(/is your own.*pnpm add --config pnpm-plugin-scratch/)])
    expect(fs.readFileSync(path.join(dir, '.pnpmfile.cjs'), 'utf8')).toBe('module.exports = {}\n')
    const set = project({ 'package.json': `{"name":"app",${DEV}}`, 'pnpm-lock.yaml': '', 'pnpm-workspace.yaml': 'pnpmfile: x.cjs\n' })
    expect(initProject(set, noAgent).warnings).toEqual([expect.stringMatching(/sets pnpmfile/)])
  })

  test('without the package as a dependency: says what to run instead of `pnpm scratch gc`', () => {
    const dir = project({ 'package.json': '{"name":"app"}', 'pnpm-lock.yaml': '' })
    expect(initProject(dir, noAgent).warnings).toEqual([expect.stringMatching(/pnpm add --save-dev pnpm-plugin-scratch.*pnpm dlx pnpm-plugin-scratch gc/)])
  })

  test('in a workspace member: nothing is written, the workspace root is named', () => {
    const root = project({ 'package.json': `{"name":"ws",${DEV}}`, 'pnpm-workspace.yaml': 'packages:\n  - packages/*\n', 'pnpm-lock.yaml': '', 'packages/app/package.json': '{"name":"app"}' })
    const member = path.join(root, 'packages', 'app')
    const result = initProject(member, { env: { npm_config_user_agent: 'pnpm/10.34.9 npm/? node/v20.20.2 linux x64' } })
    expect(result).toMatchObject({ packageManager: 'pnpm', changes: [] })
    expect(result.warnings).toEqual([expect.stringContaining(`Run scratch init in ${root}`)])
    expect(fs.existsSync(path.join(member, '.pnpmfile.cjs'))).toBe(false)
    expect(initProject(root, noAgent).changes.map((c) => c.file)).toEqual([path.join(root, '.pnpmfile.cjs')])
  })

  test('pnpm 12.0–12.7 (no hook on remove) is warned about', () => {
    const dir = project({ 'package.json': `{"name":"app","packageManager":"pnpm@12.4.2",${DEV}}` })
    expect(initProject(dir, noAgent).warnings).toEqual([expect.stringMatching(/pnpm 12\.4 runs no hook on `pnpm remove`/)])
  })
})

describe('undo', () => {
  test('removes exactly what init added: the chained script goes back to what it was, the bridge goes', () => {
    const original = '{\n  "name": "app",\n  "scripts": {\n    "dependencies": "node patch.js"\n  }\n}\n'
    const dir = project({ 'package.json': original })
    initProject(dir, { ...noAgent, packageManager: 'npm' })
    initProject(dir, { ...noAgent, packageManager: 'pnpm' })
    expect(fs.existsSync(path.join(dir, '.pnpmfile.cjs'))).toBe(true)
    const undone = undoInit(dir, noAgent)
    expect(undone.changes.map((c) => [path.basename(c.file), c.field, c.after])).toEqual([['package.json', 'scripts.dependencies', 'node patch.js'], ['.pnpmfile.cjs', null, null]])
    expect(read(dir)).toBe(original)
    expect(fs.existsSync(path.join(dir, '.pnpmfile.cjs'))).toBe(false)
    expect(undoInit(dir, noAgent)).toMatchObject({ changes: [], unchanged: ['nothing of scratch init is wired here'] })
  })

  test('a scripts field init created goes with it; the revision-1 text is removed too; --dry-run writes nothing', () => {
    const dir = project({ 'package.json': '{"name":"app"}' })
    initProject(dir, noAgent)
    expect(undoInit(dir, { ...noAgent, dryRun: true }).changes).toHaveLength(1)
    expect(scripts(dir)).toEqual({ dependencies: NPM_GC_SCRIPT })
    undoInit(dir, noAgent)
    expect(read(dir)).toBe('{"name":"app"}')
    const r1 = project({ 'package.json': JSON.stringify({ name: 'app', scripts: { postuninstall: `${LEGACY_GC_SCRIPT} && echo done`, test: 'jest' } }) })
    undoInit(r1, noAgent)
    expect(scripts(r1)).toEqual({ postuninstall: 'echo done', test: 'jest' })
  })

  test('an edited bridge is left, with a warning', () => {
    const dir = project({ 'package.json': '{"name":"app"}', '.pnpmfile.cjs': `${BRIDGE_TEXT}// mine\n` })
    expect(undoInit(dir, noAgent).warnings).toEqual([expect.stringMatching(/edited since/)])
    expect(fs.existsSync(path.join(dir, '.pnpmfile.cjs'))).toBe(true)
  })
})

describe('detection and bad input', () => {
  test('the packageManager field, and the field picking among several lockfiles', () => {
    const byField = project({ 'package.json': '{"name":"app","packageManager":"pnpm@12.21.0"}' })
    expect(initProject(byField, noAgent)).toMatchObject({ packageManager: 'pnpm', detectedFrom: 'packageManager field (pnpm@12.21.0)' })
    const both = project({ 'package.json': '{"name":"app","packageManager":"pnpm@10.34.9"}', 'package-lock.json': '{}', 'pnpm-lock.yaml': '' })
    expect(initProject(both, noAgent)).toMatchObject({ packageManager: 'pnpm', detectedFrom: 'pnpm-lock.yaml' })
    const nothing = project({ 'package.json': '{"name":"app"}' })
    expect(initProject(nothing, noAgent).packageManager).toBe('npm')
    const engines = project({ 'package.json': '{"name":"app","devEngines":{"packageManager":{"name":"pnpm","version":"12.4.2"}}}' })
    const byEngines = initProject(engines, noAgent)
    expect(byEngines).toMatchObject({ packageManager: 'pnpm', detectedFrom: 'devEngines.packageManager (pnpm@12.4.2)' })
    expect(byEngines.warnings.join('\n')).toMatch(/pnpm 12\.4 runs no hook/)
  })

  test('yarn 1: nothing to wire, a note says why', () => {
    const dir = project({ 'package.json': '{"name":"app"}', 'yarn.lock': '# yarn lockfile v1\n' })
    const result = initProject(dir, noAgent)
    expect(result).toMatchObject({ packageManager: 'yarn', changes: [] })
    expect(result.notes.join(' ')).toMatch(/runs no script.*npx pnpm-plugin-scratch gc/)
    expect(read(dir)).toBe('{"name":"app"}')
  })

  test('--dry-run reports the change and writes nothing', () => {
    const dir = project({ 'package.json': '{"name":"app"}' })
    expect(initProject(dir, { env: {}, dryRun: true }).changes).toHaveLength(1)
    expect(read(dir)).toBe('{"name":"app"}')
  })

  test('a missing directory or package.json is ERR_SCRATCH_NOT_FOUND; a broken one ERR_SCRATCH_USAGE', () => {
    expect(() => initProject(path.join(tempDir(), 'nope'), noAgent)).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_NOT_FOUND' }) as ScratchError)
    expect(() => initProject(tempDir(), noAgent)).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_NOT_FOUND' }) as ScratchError)
    const broken = project({ 'package.json': '{"name": ' })
    expect(() => initProject(broken, noAgent)).toThrow(expect.objectContaining({ code: 'ERR_SCRATCH_USAGE' }) as ScratchError)
  })
})

describe('scratch init', () => {
  test('prints what it changed, then that nothing is left to change; --undo says what it removed', async () => {
    const dir = project({ 'package.json': '{"name":"app"}', 'package-lock.json': '{}' })
    const io = memoryIo(dir)
    expect(await main(['init'], io)).toBe(0)
    expect(io.out).toContain(`Changed:\n  package.json scripts.dependencies: (none) -> ${JSON.stringify(NPM_GC_SCRIPT)}`)
    expect(io.err).toMatch(/^scratch: warning: pnpm-plugin-scratch is not a dependency/)
    const again = memoryIo(dir)
    expect(await main(['init', '.'], again)).toBe(0)
    expect(again.out).toContain('Nothing to change: scripts.dependencies already runs scratch gc.')
    const undo = memoryIo(dir)
    expect(await main(['init', '--undo'], undo)).toBe(0)
    expect(undo.out).toContain(`Changed:\n  package.json scripts.dependencies: ${JSON.stringify(NPM_GC_SCRIPT)} -> (none)`)
  })

  test('--json prints the result as the only thing on stdout', async () => {
    const dir = project({ 'package.json': '{"name":"app"}' })
    const io = memoryIo(path.dirname(dir))
    expect(await main(['init', path.basename(dir), '--json', '--package-manager', 'pnpm'], io)).toBe(0)
    expect(JSON.parse(io.out)).toMatchObject({ dir, packageManager: 'pnpm', detectedFrom: '--package-manager', changes: [{ field: null, after: 'created' }] })
  })

  test('an unknown package manager exits 2; a directory without package.json exits 1 (not found)', async () => {
    const dir = project({ 'package.json': '{"name":"app"}' })
    expect(await main(['init', '--package-manager', 'cargo'], memoryIo(dir))).toBe(2)
    expect(await main(['init', 'missing'], memoryIo(dir))).toBe(1)
  })

  test('--help shows examples, none with a bare `npx scratch`', async () => {
    const io = memoryIo(tempDir())
    expect(await main(['init', '--help'], io)).toBe(0)
    expect(io.out).toMatch(/Examples:\n {2}npx pnpm-plugin-scratch init/)
    expect(io.out).not.toMatch(/npx scratch/)
  })
})
