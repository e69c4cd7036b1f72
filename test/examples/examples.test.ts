/**
 * The examples in examples/, each run with real Node in a child process against the built
 * package, in a fresh store (SCRATCHSPACE_DIR): what they print and what they leave on disk.
 * The workspace example is also installed with real pnpm 10 and the plugin, in a copy.
 */
import { execFileSync, spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { builtRuntime, repoRoot } from '../helpers/dist'
import { listTree, removeTempDirs, runNodeFile, tempDir, type RunNodeResult } from '../helpers/tmp'

const examples = path.join(repoRoot, 'examples')
const cli = path.join(repoRoot, 'dist', 'cli.cjs')

// What the child processes must not inherit from whoever runs jest.
const CLEAN_ENV = {
  SCRATCHSPACE_TRACK_ACCESS: undefined,
  SCRATCHSPACE_AUTO_GC: undefined,
  INIT_CWD: undefined,
  EXAMPLE_OUT_DIR: undefined,
  NO_COLOR: '1',
}

let store: string

/** Runs `examples/<rel>` with `node` from its own directory, in the test's store; expects exit 0. */
async function runExample(rel: string, env: Record<string, string | undefined> = {}): Promise<string> {
  const file = path.join(examples, rel)
  const result = await runNodeFile(file, { cwd: path.dirname(file), env: { ...CLEAN_ENV, SCRATCHSPACE_DIR: store, ...env } })
  expectExit0(`node examples/${rel}`, result)
  return result.stdout
}

function expectExit0(what: string, result: Pick<RunNodeResult, 'code' | 'stdout' | 'stderr'>): void {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`)
}

function read(file: string): string {
  return fs.readFileSync(file, 'utf8')
}

interface ListJson {
  spaces: { owner: string | null; key: string; path: string; verdict: string; projects: string[] }[]
}

beforeAll(() => {
  builtRuntime()
  // Links <example>/node_modules/pnpm-plugin-scratch (and the workspace packages) as a user's run would.
  execFileSync(process.execPath, [path.join(examples, 'run.mjs'), '--link'], { stdio: 'pipe' })
})

beforeEach(() => {
  store = path.join(tempDir('scratch-examples-'), 'store')
})

afterEach(() => removeTempDirs())

describe('download-cache', () => {
  test('the first call downloads from the loopback server, the second and every later run hit the cache', async () => {
    const first = await runExample('download-cache/index.mjs')
    const file = path.join(store, 'example-download-cache', 'downloads', 'iris.csv')
    expect(first).toContain(`store:          ${store}`)
    expect(first).toMatch(/dataset server: http:\/\/127\.0\.0\.1:\d+\/datasets\//)
    expect(first).toContain(`first call:     iris downloaded -> ${file}`)
    expect(first).toContain(`second call:    iris cached -> ${file}`)
    expect(first).toMatch(/requests: +1 to the dataset server/)
    expect(read(file)).toMatch(/^sepal_length,.*\n5\.1,3\.5,1\.4,0\.2,setosa\n/)
    expect(listTree(path.join(store, 'example-download-cache'))).toEqual(['downloads/', 'downloads/iris.csv'])
    expect(fs.existsSync(path.join(store, 'CACHEDIR.TAG'))).toBe(true)

    const again = await runExample('download-cache/index.mjs')
    expect(again).toContain(`first call:     iris cached -> ${file}`)
    expect(again).toMatch(/requests: +0 to the dataset server/)
  })
})

describe('regenerate-if-empty', () => {
  const squares = `${JSON.stringify(Array.from({ length: 16 }, (_, i) => i * i))}\n`

  test('populate runs when the space is missing or empty, and only then', async () => {
    const space = path.join(store, 'example-regenerate-if-empty', 'tables')
    const first = await runExample('regenerate-if-empty/index.mjs')
    expect(first.split('\n')).toEqual(expect.arrayContaining([
      `store: ${store}`,
      expect.stringMatching(/^1\. ensureScratch +populated: built-at\.txt, squares\.json$/),
      `   space: ${space}`,
      expect.stringMatching(/^2\. ensureScratch again +already there, populate skipped: built-at\.txt, squares\.json$/),
      '3. emptied the space (its files removed)',
      "4. deleteScratch('tables') -> true",
      'populate ran 3 time(s)',
    ]))
    expect(first.match(/^ {3}ensureScratch +populated/gm)).toHaveLength(2)
    expect(read(path.join(space, 'squares.json'))).toBe(squares)
    // No temporary populate directories left beside the space.
    expect(fs.readdirSync(path.dirname(space))).toEqual(['tables'])

    // Run again: the space is there, so the first call skips populate.
    const second = await runExample('regenerate-if-empty/index.mjs')
    expect(second).toMatch(/^1\. ensureScratch +already there, populate skipped/m)
    expect(second).toContain('populate ran 2 time(s)')

    // Delete the space from outside and run again: repopulated.
    fs.rmSync(space, { recursive: true })
    const third = await runExample('regenerate-if-empty/index.mjs')
    expect(third).toMatch(/^1\. ensureScratch +populated: built-at\.txt, squares\.json$/m)
    expect(third).toContain('populate ran 3 time(s)')
    expect(read(path.join(space, 'squares.json'))).toBe(squares)
  })
})

describe('per-version', () => {
  test('1.4.2 and 1.4.7 share compiled-1.4, 1.5.0 gets compiled-1.5', async () => {
    const out = await runExample('per-version/index.mjs')
    const owner = path.join(store, 'example-compiler')
    expect(out).toContain(`example-compiler@1.4.2  -> compiled-1.4 ${path.join(owner, 'compiled-1.4')} (built by example-compiler@1.4.2)`)
    expect(out).toContain(`example-compiler@1.4.7  -> compiled-1.4 ${path.join(owner, 'compiled-1.4')} (built by example-compiler@1.4.2)`)
    expect(out).toContain(`example-compiler@1.5.0  -> compiled-1.5 ${path.join(owner, 'compiled-1.5')} (built by example-compiler@1.5.0)`)
    expect(out).toContain('spaces of example-compiler: compiled-1.4, compiled-1.5')
    expect(out).toContain("versionedKey('compiled', '1.4.2-beta.1', 'major') = 'compiled-1'")
    expect(out).toContain("versionedKey('compiled', '1.4.2-beta.1', 'minor') = 'compiled-1.4'")
    expect(out).toContain("versionedKey('compiled', '1.4.2-beta.1', 'patch') = 'compiled-1.4.2'")
    expect(listTree(owner)).toEqual(['compiled-1.4/', 'compiled-1.4/built-by.txt', 'compiled-1.5/', 'compiled-1.5/built-by.txt'])
    expect(read(path.join(owner, 'compiled-1.4', 'built-by.txt'))).toBe('example-compiler@1.4.2\n')
    expect(read(path.join(owner, 'compiled-1.5', 'built-by.txt'))).toBe('example-compiler@1.5.0\n')
    // The example's own package has no space: only the versioned library does.
    expect(fs.readdirSync(store).filter((name) => !name.startsWith('.')).sort()).toEqual(['CACHEDIR.TAG', 'example-compiler'])
  })
})

describe('export-import', () => {
  test('exports with an integrity, imports it elsewhere, and rejects a tampered copy', async () => {
    const out = tempDir('scratch-examples-out-')
    const stdout = await runExample('export-import/index.mjs', { EXAMPLE_OUT_DIR: out })
    const archive = path.join(out, 'models.tar.gz')
    const integrity = `sha512-${crypto.createHash('sha512').update(fs.readFileSync(archive)).digest('base64')}`
    expect(stdout).toContain(`2. export   ${archive} (${fs.statSync(archive).size} bytes)`)
    expect(stdout).toContain(`   integrity ${integrity}`)
    expect(stdout).toContain('exported again: same integrity (deterministic)')
    expect(fs.readFileSync(path.join(out, 'models-again.tar.gz'))).toEqual(fs.readFileSync(archive))

    const source = path.join(store, 'example-export-import', 'models')
    const imported = path.join(out, 'elsewhere-store', 'example-export-import', 'models')
    expect(stdout).toContain(`3. import   ${imported}: same files and contents`)
    const files = ['config.json', 'weights/', 'weights/layer-0.txt', 'weights/layer-1.txt']
    expect(listTree(source)).toEqual(files)
    expect(listTree(imported)).toEqual(files)
    for (const file of files.filter((f) => !f.endsWith('/'))) expect(read(path.join(imported, file))).toBe(read(path.join(source, file)))

    expect(stdout).toContain('4. tampered archive rejected: ERR_SCRATCH_INTEGRITY')
    expect(stdout).toContain('space models-tampered was not created')
    expect(fs.existsSync(path.join(out, 'models-tampered.tar.gz'))).toBe(true)
    expect(fs.readdirSync(path.dirname(imported))).toEqual(['models'])
  })

  test('without EXAMPLE_OUT_DIR the archive goes to a temporary directory that is removed', async () => {
    const stdout = await runExample('export-import/index.mjs')
    const archive = /^2\. export +(\S+) /m.exec(stdout)?.[1]
    expect(archive).toMatch(/scratch-export-import-[^/\\]+[/\\]models\.tar\.gz$/)
    expect(fs.existsSync(path.dirname(archive as string))).toBe(false)
    expect(stdout).toContain('4. tampered archive rejected: ERR_SCRATCH_INTEGRITY')
  })
})

describe('workspace', () => {
  test('app loads a (CommonJS) and b (ESM), which create their scoped spaces', async () => {
    const out = await runExample('workspace/app/index.mjs')
    const a = path.join(store, '@example-ws', 'a', 'search-index')
    const b = path.join(store, '@example-ws', 'b', 'thumbnails')
    expect(out).toContain(`@example-ws/a space: ${a}`)
    expect(out).toContain(`@example-ws/b space: ${b}`)
    expect(out).toContain(`@example-ws/b also uses: ${a}`)
    expect(out).toContain('scoped spaces in the store: @example-ws/a/search-index, @example-ws/b/thumbnails')
    expect(JSON.parse(read(path.join(a, 'terms.json')))).toEqual({ scratch: [1, 4], space: [2] })
    expect(read(path.join(b, 'logo.txt'))).toBe('[a 16x16 thumbnail]\n')
  })

  test('installed with pnpm 10 and the plugin: a package taken out of the workspace has its space swept', async () => {
    const sandbox = tempDir('scratch-examples-ws-')
    const ws = path.join(sandbox, 'workspace')
    const source = path.join(examples, 'workspace')
    fs.cpSync(source, ws, { recursive: true, filter: (src) => path.basename(src) !== 'node_modules' && path.basename(src) !== 'pnpm-lock.yaml' })
    // The copy lives outside the repository: point its relative links and pnpmfile at the checkout.
    for (const rel of ['packages/a/package.json', 'packages/b/package.json', 'app/package.json']) {
      const file = path.join(ws, rel)
      const manifest = JSON.parse(read(file)) as { dependencies: Record<string, string> }
      manifest.dependencies['pnpm-plugin-scratch'] = `link:${repoRoot}`
      fs.writeFileSync(file, JSON.stringify(manifest, null, 2))
    }
    const pnpmfile = path.join(repoRoot, 'pnpmfile.cjs')
    fs.writeFileSync(path.join(ws, '.npmrc'), `pnpmfile=${pnpmfile}\n`)
    fs.writeFileSync(path.join(ws, 'pnpm-workspace.yaml'), read(path.join(ws, 'pnpm-workspace.yaml')).replace('../../pnpmfile.cjs', JSON.stringify(pnpmfile)))

    const home = path.join(sandbox, 'home')
    fs.mkdirSync(home)
    const env: NodeJS.ProcessEnv = {
      PATH: [path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter),
      HOME: home,
      USERPROFILE: home,
      XDG_CACHE_HOME: path.join(home, '.cache'),
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      XDG_STATE_HOME: path.join(home, '.local', 'state'),
      npm_config_store_dir: path.join(sandbox, 'pnpm-store'),
      npm_config_update_notifier: 'false',
      SCRATCHSPACE_DIR: store,
      NO_COLOR: '1',
    }
    for (const key of ['TMPDIR', 'LANG', 'SystemRoot']) if (process.env[key] !== undefined) env[key] = process.env[key]
    const run = (bin: string, args: string[], cwd = ws): Promise<{ code: number | null; stdout: string; stderr: string }> =>
      new Promise((resolve, reject) => {
        const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })
        let stdout = ''
        let stderr = ''
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
        child.on('error', reject)
        child.on('close', (code) => resolve({ code, stdout, stderr }))
      })
    const pnpm = async (...args: string[]): Promise<string> => {
      const result = await run(path.join(repoRoot, 'node_modules', '.bin', 'pnpm'), [...args, '--reporter=append-only'])
      expectExit0(`pnpm ${args.join(' ')}`, result)
      return result.stdout + result.stderr
    }
    const list = async (): Promise<ListJson> => {
      const result = await run(process.execPath, [cli, 'list', '--json'])
      expectExit0('scratch list --json', result)
      return JSON.parse(result.stdout) as ListJson
    }

    await pnpm('install', '--offline')
    expect(read(path.join(ws, 'pnpm-lock.yaml'))).toContain('pnpmfileChecksum')
    expectExit0('node app/index.mjs', await run(process.execPath, ['app/index.mjs']))
    const before = await list()
    expect(before.spaces.map((s) => [s.owner, s.key, s.verdict, s.projects])).toEqual([
      ['@example-ws/a', 'search-index', 'live', [ws]],
      ['@example-ws/b', 'thumbnails', 'live', [ws]],
    ])

    // Dropping b from the app keeps it a workspace member: its space stays.
    await pnpm('remove', '@example-ws/b', '--filter', '@example-ws/app')
    expect(fs.existsSync(path.join(store, '@example-ws', 'b', 'thumbnails'))).toBe(true)

    // Taking b out of the workspace: the next install sweeps its space; a's (b was a caller) stays.
    fs.rmSync(path.join(ws, 'packages', 'b'), { recursive: true })
    const output = await pnpm('install', '--offline')
    expect(output).toContain('pnpm-plugin-scratch: removed 1 scratch space')
    expect(output).toContain('@example-ws/b')
    expect(fs.existsSync(path.join(store, '@example-ws', 'b'))).toBe(false)
    expect(read(path.join(store, '@example-ws', 'a', 'search-index', 'terms.json'))).toContain('scratch')
    expect((await list()).spaces.map((s) => `${s.owner}/${s.key} ${s.verdict}`)).toEqual(['@example-ws/a/search-index live'])
  })
})
