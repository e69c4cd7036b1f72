// The gc's per-project lockfile phase alone, four ways, over the same projects:
//   ours        — assessWorld from src/gc/world.ts over the projects with no names cached: per
//                 project stat, lockfile detection, stamps, readLockfile, importer package.json
//                 names, on two threads (exactly what a cold gc does)
//   ours-serial — the same with checkProject(dir) one project after the other, on one thread
//   lockfile-fs — the same steps with @pnpm/lockfile.fs readWantedLockfile instead of our reader
//   floor       — the same steps reading the lockfile bytes (utf8) and nothing else
// argv: <mode> <json file {dirs}> <internals bundle> <dist dir>
const fs = require('node:fs')
const path = require('node:path')
const [mode, listFile, internals, dist] = process.argv.slice(2)
const { dirs } = JSON.parse(fs.readFileSync(listFile, 'utf8'))
const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies']
// An importer version naming another package (`npm:` alias): `is-odd@0.1.2`, `@s/x@1.0.0(peer@1)`.
const ALIAS = /^((?:@[^\s/@:()'"]+\/)?[^\s/@:()'"]+)@/

function nameFromKey(key) {
  const at = key.indexOf('@', 1)
  return at === -1 ? null : key.slice(0, at)
}

function stampLockfiles(dir) {
  if (!fs.statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`)
  const entries = new Set(fs.readdirSync(dir))
  const files = ['pnpm-lock.yaml'].filter((name) => entries.has(name)).map((name) => path.join(dir, name))
  for (const file of files) fs.statSync(file)
  return files
}

// Modules load before the clock starts: a gc process has them loaded by the time it reads lockfiles.
const loaded = mode === 'ours' || mode === 'ours-serial' ? require(internals) : mode === 'lockfile-fs'
  ? { ...require('@pnpm/lockfile.fs'), ...require(path.join(dist, 'gc.cjs')) }
  : {}

async function main() {
  const t0 = process.hrtime.bigint()
  let names = 0
  let world = null
  if (mode === 'ours') {
    world = loaded.assessWorld({ version: 1, projects: {} }, { projects: new Map(dirs.map((dir) => [dir, null])) }, Date.now())
    for (const report of world.projects) if (report.status !== 'present') throw new Error(`${report.dir}: ${report.reason}`)
  } else if (mode === 'ours-serial') {
    const { checkProject } = loaded
    const now = Date.now()
    for (const dir of dirs) {
      const state = checkProject(dir, undefined, now)
      if (state.report.status !== 'present') throw new Error(`${dir}: ${state.report.reason}`)
      names += state.names.length
    }
  } else if (mode === 'lockfile-fs') {
    const { readWantedLockfile, importerNames } = loaded
    for (const dir of dirs) {
      stampLockfiles(dir)
      const lockfile = await readWantedLockfile(dir, { ignoreIncompatible: false })
      if (lockfile === null) throw new Error(`${dir}: no lockfile`)
      const set = new Set()
      for (const importer of Object.values(lockfile.importers)) {
        for (const field of DEP_FIELDS) {
          for (const [name, version] of Object.entries(importer[field] ?? {})) {
            set.add(name)
            const alias = ALIAS.exec(version)
            if (alias !== null) set.add(alias[1])
          }
        }
      }
      for (const key of Object.keys(lockfile.packages ?? {})) set.add(nameFromKey(key))
      const own = importerNames(dir, Object.keys(lockfile.importers))
      if (!Array.isArray(own)) throw new Error(own.error)
      for (const name of own) set.add(name)
      names += set.size
    }
  } else if (mode === 'floor') {
    for (const dir of dirs) {
      for (const file of stampLockfiles(dir)) names += fs.readFileSync(file, 'utf8').length > 0 ? 1 : 0
    }
  } else {
    throw new Error(`unknown mode ${mode}`)
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  if (world !== null) {
    // The distinct names, counted once the clock stopped: liveNames answers lookups only.
    const distinct = new Set()
    for (const entry of Object.values(world.registry.projects)) for (const name of entry.names) distinct.add(name)
    names = distinct.size
  }
  console.log(JSON.stringify({ ms, names, maxRssMb: process.resourceUsage().maxRSS / 1024 }))
}
main()
