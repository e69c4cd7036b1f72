/**
 * The package as published: `npm pack --json` (which runs the build through `prepack`, so a
 * build that prints on stdout breaks the JSON), then publint, @arethetypeswrong/cli,
 * `npm publish --dry-run` and `npm pkg fix` against the packed tarball, and the size budget.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tar from 'tar'
import { repoRoot } from './harness'

jest.setTimeout(240_000)

interface PackResult { filename: string; size: number; unpackedSize: number; files: { path: string; size: number }[] }

let tmp: string
let pack: PackResult
let tarball: string

const bin = (name: string): string => path.join(repoRoot, 'node_modules', '.bin', name)
const quiet = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1', FORCE_COLOR: '0' }

// The package is built and packed from a copy of the sources, so the build (prepack) never
// replaces the repository's dist/ under tests that run it in parallel.
const SOURCES = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'pnpmfile.cjs', 'README.md', 'LICENSE', 'scripts', 'src', 'hooks']

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-pack-'))
  const copy = path.join(tmp, 'repo')
  for (const entry of SOURCES) fs.cpSync(path.join(repoRoot, entry), path.join(copy, entry), { recursive: true })
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'), 'dir')
  // prepack runs the build: its output would land in this stdout.
  const stdout = execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: copy, encoding: 'utf8', env: quiet, stdio: ['ignore', 'pipe', 'pipe'] })
  pack = (JSON.parse(stdout) as PackResult[])[0]
  tarball = path.join(tmp, pack.filename)
})
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

test('npm pack --json is one JSON document (the build prints nothing on stdout)', () => {
  expect(fs.existsSync(tarball)).toBe(true)
  expect(pack.files.map((f) => f.path)).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'pnpmfile.cjs', 'dist/index.cjs', 'dist/index.mjs', 'dist/gc.cjs']))
})

// The runtime entries' budget bounds what every library that uses them loads; the whole
// package's is an install-size ceiling. It was 400 kB until the gc's fast lockfile scanner and
// chunked log reader added ~4 kB to gc.cjs, 405 kB until the warm gc's directory stamps and
// faster readers added ~4 kB more, 410 kB until the folded history added ~4.5 kB, 415 kB until
// the registry's delta and its names decoded when read added ~5 kB, 420 kB until lockfiles read in pieces of text added ~1.5 kB (docs/design.md, "Package layout"). The entries' 30 kB became 30.2 kB when the record's append
// stopped following a link planted as the log (O_NOFOLLOW: ~80 B) and the namespace retry after a
// prune between mkdir and its check (~100 B); 30.4 kB when the append stopped waiting for a FIFO
// planted as the log and learned to wait out a lease instead (O_NONBLOCK and its retry: ~150 B);
// 30.5 kB when a record's write cut short by a full disk became an error (~150 B).
test('size budget: unpacked ≤ 425 kB, each runtime entry ≤ 30.5 kB', () => {
  const size = (file: string): number => pack.files.find((f) => f.path === file)?.size ?? Infinity
  console.log(`unpacked ${pack.unpackedSize} B, tarball ${pack.size} B, dist/index.cjs ${size('dist/index.cjs')} B, dist/index.mjs ${size('dist/index.mjs')} B`)
  expect(pack.unpackedSize).toBeLessThanOrEqual(425_000)
  expect(size('dist/index.cjs')).toBeLessThanOrEqual(30_500)
  expect(size('dist/index.mjs')).toBeLessThanOrEqual(30_500)
})

test('the gc code ships once: cli.cjs and pnpm-hook.cjs are stubs that load gc.cjs, and no other bundle holds a copy', () => {
  const size = (file: string): number => pack.files.find((f) => f.path === file)?.size ?? Infinity
  expect(size('dist/cli.cjs')).toBeLessThan(200)
  expect(size('dist/pnpm-hook.cjs')).toBeLessThan(200)
  // The yarn plugin is no file of the package: init composes it from gc.cjs and yaml.cjs.
  const code = pack.files.map((f) => f.path).filter((f) => /\.(c|m)?js$/.test(f)).sort()
  expect(code).toEqual(['dist/archive.mjs', 'dist/cli.cjs', 'dist/gc.cjs', 'dist/index.cjs', 'dist/index.mjs', 'dist/pnpm-hook.cjs', 'dist/yaml.cjs', 'pnpmfile.cjs'])
})

test('no internal declarations, and no text meant for the developers in what ships', async () => {
  const dir = path.join(tmp, 'unpacked')
  fs.mkdirSync(dir)
  await tar.x({ file: tarball, cwd: dir })
  const types = pack.files.map((f) => f.path).filter((f) => f.endsWith('.d.ts') || f.endsWith('.d.mts'))
  // Only the modules the public index.d.ts reaches.
  for (const file of types) expect(file).toMatch(/^dist\/(index\.d\.m?ts|types\/(index|errors|archive\/api|runtime\/(ensure|names|owner|root|spaces))\.d\.ts)$/)
  for (const file of [...types, 'README.md']) {
    const text = fs.readFileSync(path.join(dir, 'package', file), 'utf8')
    expect({ file, found: text.match(/SPEC §|the seed'?s?\b/gi) }).toEqual({ file, found: null })
  }
})

test('publint (strict) and @arethetypeswrong/cli report nothing', () => {
  const publint = spawnSync(bin('publint'), ['run', tarball, '--strict'], { encoding: 'utf8', env: quiet })
  console.log(`publint: ${publint.stdout.trim().split('\n').pop()}`)
  expect({ code: publint.status, out: publint.stdout.trim().split('\n').pop() }).toEqual({ code: 0, out: 'All good!' })
  const attw = spawnSync(bin('attw'), [tarball, '--format', 'ascii'], { encoding: 'utf8', env: quiet })
  console.log(`attw: ${attw.stdout.trim().split('\n')[0]}`)
  expect({ code: attw.status, out: attw.stdout }).toMatchObject({ code: 0, out: expect.stringContaining('No problems found') })
})

test('npm publish --dry-run warns about nothing of ours; npm pkg fix changes nothing', () => {
  const publish = spawnSync('npm', ['publish', '--dry-run', tarball], { encoding: 'utf8', env: quiet, cwd: tmp })
  expect(publish.status).toBe(0)
  // The only warning allowed is the one about not being logged in to the registry.
  const warnings = publish.stderr.split('\n').filter((line) => /\bwarn\b/i.test(line) && !/requires you to be logged in/.test(line))
  expect(warnings).toEqual([])
  const dir = path.join(tmp, 'unpacked', 'package')
  const before = fs.readFileSync(path.join(dir, 'package.json'), 'utf8')
  execFileSync('npm', ['pkg', 'fix'], { cwd: dir, env: quiet })
  expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(before)
})
