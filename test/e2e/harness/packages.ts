import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import * as tar from 'tar'
import { withBuildLock } from '../../helpers/build-lock'
import { e2eCacheDir, repoRoot } from './tools'

/** A package tarball the local registry serves. */
export interface PackedPackage {
  name: string
  version: string
  /** The package.json as published. */
  manifest: Record<string, unknown>
  tarball: string
}

/**
 * The tarballs every e2e test installs: this repository packed, the two fixture libraries that
 * use it, and fixture-c, a library with no dependencies.
 */
export interface E2ePackages {
  self: PackedPackage
  fixtureA: PackedPackage
  fixtureB: PackedPackage
  fixtureC: PackedPackage
  all: PackedPackage[]
}

const FIXTURES = path.join(repoRoot, 'test', 'e2e', 'fixtures')
const BUILD_INPUTS = ['package.json', 'pnpmfile.cjs', 'scripts/build.mjs', 'tsconfig.build.json', 'src', 'hooks']
const DIST_OUTPUTS = ['index.cjs', 'index.mjs', 'cli.cjs', 'pnpm-hook.cjs', 'gc.cjs', 'archive.mjs', 'yaml.cjs']

function filesUnder(rel: string): string[] {
  const abs = path.join(repoRoot, rel)
  const stat = fs.statSync(abs, { throwIfNoEntry: false })
  if (stat === undefined) return []
  if (!stat.isDirectory()) return [rel]
  return fs.readdirSync(abs).sort().flatMap((name) => filesUnder(path.posix.join(rel, name)))
}

/** A digest of everything that goes into the packed tarballs, so a change in the sources repacks. */
function inputsDigest(): string {
  const hash = crypto.createHash('sha256')
  for (const file of [...BUILD_INPUTS, 'test/e2e/fixtures'].flatMap(filesUnder)) {
    hash.update(file).update('\0').update(fs.readFileSync(path.join(repoRoot, file))).update('\0')
  }
  return hash.digest('hex').slice(0, 16)
}

function distIsFresh(): boolean {
  const newest = Math.max(...BUILD_INPUTS.flatMap(filesUnder).map((file) => fs.statSync(path.join(repoRoot, file)).mtimeMs))
  return DIST_OUTPUTS.every((name) => {
    const stat = fs.statSync(path.join(repoRoot, 'dist', name), { throwIfNoEntry: false })
    return stat !== undefined && stat.mtimeMs >= newest
  })
}

function readManifest(dir: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>
}

function packed(manifest: Record<string, unknown>, tarball: string): PackedPackage {
  return { name: manifest.name as string, version: manifest.version as string, manifest, tarball }
}

/** Packs a fixture directory the way `npm pack` lays it out (`package/…`), deterministically. */
function packFixture(dir: string, outDir: string): PackedPackage {
  const manifest = readManifest(dir)
  const tarball = path.join(outDir, `${manifest.name as string}-${manifest.version as string}.tgz`)
  tar.c({ gzip: true, sync: true, file: tarball, cwd: dir, prefix: 'package', portable: true, mtime: new Date('2020-01-01T00:00:00Z') },
    fs.readdirSync(dir).sort())
  return packed(manifest, tarball)
}

let memo: E2ePackages | undefined

/**
 * Builds dist/ if it is older than the sources, then packs this repository (`npm pack`, which
 * honours `files`) and the fixture libraries into `<e2e cache>/packages-<digest of the inputs>/`.
 * Done once per source state and shared by every test and jest worker.
 */
export function e2ePackages(): E2ePackages {
  if (memo !== undefined) return memo
  const selfManifest = readManifest(repoRoot)
  const outDir = path.join(e2eCacheDir(), `packages-${inputsDigest()}`)
  const selfTarball = path.join(outDir, `${selfManifest.name as string}-${selfManifest.version as string}.tgz`)
  const names = ['fixture-a', 'fixture-b', 'fixture-c']
  const ready = (): boolean => fs.existsSync(path.join(outDir, '.complete'))
  if (!ready()) {
    // The same lock `test/helpers/dist.ts` takes, so a build here never removes dist/ under another jest worker.
    withBuildLock(repoRoot, 300_000, () => {
      if (ready()) return
      if (!distIsFresh()) execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'pipe' })
      fs.rmSync(outDir, { recursive: true, force: true })
      fs.mkdirSync(outDir, { recursive: true })
      execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', outDir], { cwd: repoRoot, stdio: 'pipe' })
      for (const name of names) packFixture(path.join(FIXTURES, name), outDir)
      fs.writeFileSync(path.join(outDir, '.complete'), new Date().toISOString())
      // Older states' tarballs are of no further use.
      for (const entry of fs.readdirSync(e2eCacheDir())) {
        if (entry.startsWith('packages-') && path.join(e2eCacheDir(), entry) !== outDir) {
          fs.rmSync(path.join(e2eCacheDir(), entry), { recursive: true, force: true })
        }
      }
    })
  }
  const fixture = (name: string): PackedPackage => {
    const manifest = readManifest(path.join(FIXTURES, name))
    return packed(manifest, path.join(outDir, `${name}-${manifest.version as string}.tgz`))
  }
  const self = packed(selfManifest, selfTarball)
  const fixtureA = fixture('fixture-a')
  const fixtureB = fixture('fixture-b')
  const fixtureC = fixture('fixture-c')
  memo = { self, fixtureA, fixtureB, fixtureC, all: [self, fixtureA, fixtureB, fixtureC] }
  return memo
}
