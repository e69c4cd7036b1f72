import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { appendRecord } from '../../src/runtime/access-log'
import { DAY_MS } from '../../src/runtime/iso-time'
import { bookkeepingDir } from '../../src/runtime/layout'

/** One day, for the fixtures' ages. */
export const DAY = DAY_MS

/**
 * Makes a project at `dir` depending on local packages `names` (created under `<dir>/../pkgs`),
 * with a lockfile written by the real npm (`--package-lock-only --offline`, no network).
 */
export function npmProject(dir: string, names: string[]): string {
  const pkgs = path.join(path.dirname(dir), 'pkgs')
  const dependencies: Record<string, string> = {}
  for (const name of names) {
    const pkgDir = path.join(pkgs, name.replace('/', '+'))
    fs.mkdirSync(pkgDir, { recursive: true })
    fs.writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify({ name, version: '1.0.0' }))
    dependencies[name] = `file:${path.relative(dir, pkgDir)}`
  }
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), version: '1.0.0', private: true, dependencies }, null, 2))
  fs.rmSync(path.join(dir, 'package-lock.json'), { force: true })
  execFileSync('npm', ['install', '--package-lock-only', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir, stdio: 'pipe', env: { ...process.env, npm_config_cache: path.join(path.dirname(dir), '.npm-cache') },
  })
  return dir
}

/** Appends an access record the way `getScratch` does, from `project` (null: unattributed). */
export function recordUse(store: string, space: { owner: string | null; key: string; caller?: string | null }, project: string | null, time = Date.now()): void {
  appendRecord(store, {
    t: 'access', space: `${space.owner ?? '_global'}/${space.key}`, owner: space.owner,
    caller: space.caller === undefined ? space.owner : space.caller, project, time: new Date(time).toISOString(), pid: process.pid,
  })
}

/** Creates the space directory `<store>/<owner>/<key>` with one file of `bytes` bytes, aged `ageMs`. */
export function makeSpace(store: string, owner: string | null, key: string, bytes = 100, ageMs = 0): string {
  // A store is marked by its bookkeeping directory, as the runtime's first write makes it.
  fs.mkdirSync(bookkeepingDir(store), { recursive: true })
  const dir = path.join(store, ...(owner ?? '_global').split('/'), key)
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'data.bin'), Buffer.alloc(bytes, 1))
  if (ageMs > 0) age(dir, ageMs)
  return dir
}

/** Sets the mtime (and atime) of `file` to `ageMs` ago. */
export function age(file: string, ageMs: number): void {
  const when = new Date(Date.now() - ageMs)
  fs.utimesSync(file, when, when)
}

/**
 * The common starting point: project `<tmp>/p1` whose real npm lockfile lists pkg-a and pkg-b,
 * each with a `cache` space (100 bytes) used from p1.
 */
export function projectUsingAandB(tmp: string, store: string): { p1: string; a: string; b: string } {
  const p1 = npmProject(path.join(tmp, 'p1'), ['pkg-a', 'pkg-b'])
  const a = makeSpace(store, 'pkg-a', 'cache')
  const b = makeSpace(store, 'pkg-b', 'cache')
  recordUse(store, { owner: 'pkg-a', key: 'cache' }, p1)
  recordUse(store, { owner: 'pkg-b', key: 'cache' }, p1)
  return { p1, a, b }
}
