// Builds the benchmark's world in a temp dir: project directories (pnpm-lock.yaml +
// package.json, workspace members' package.json) and stores whose spaces and access records are
// written the way the product writes them (the built runtime's getScratch, the built gc's
// registerProject), in child processes.
import fs from 'node:fs'
import path from 'node:path'
import { makeProject } from './gen-lockfile.mjs'
import { createRng } from './prng.mjs'
import { runNode } from './child.mjs'

const CHILDREN = path.join(import.meta.dirname, '..', 'children')
const KEYS = ['cache', 'downloads', 'build', 'data', 'bin', 'index', 'models', 'tmp-v2', 'data-1.4', 'compiled', 'fixtures', 'host-info']
const GONE_WORDS = ['legacy', 'old', 'former', 'retired', 'abandoned', 'unused', 'stale', 'dropped']

/**
 * Writes `count` projects under `dir` (`p0000`, `p0001`, …). Project i depends only on (seed, i),
 * so the first N projects of any size are the same. Returns per project: dir, names, lockfile bytes.
 */
export function writeProjects({ seed, dir, count, pool, packages = 1000, from = 0 }) {
  const projects = []
  for (let i = from; i < count; i++) {
    const project = makeProject(seed, i, pool, { packages })
    const projectDir = path.join(dir, `p${String(i).padStart(4, '0')}`)
    fs.mkdirSync(projectDir, { recursive: true })
    fs.writeFileSync(path.join(projectDir, 'pnpm-lock.yaml'), project.lockfile)
    fs.writeFileSync(path.join(projectDir, 'package.json'), `${JSON.stringify(project.manifest, null, 2)}\n`)
    for (const member of project.members) {
      fs.mkdirSync(path.join(projectDir, member.dir), { recursive: true })
      fs.writeFileSync(path.join(projectDir, member.dir, 'package.json'), `${JSON.stringify(member.manifest, null, 2)}\n`)
    }
    projects.push({ dir: projectDir, names: [...project.names], lockfileBytes: Buffer.byteLength(project.lockfile) })
  }
  return projects
}

/**
 * Plans `count` spaces over `projects`: ~85% owned by a package some project lists (records from
 * 1–3 projects listing it, 5% with another package as caller), ~9% owned by packages no project
 * lists any more (orphans), ~2% unattributed, ~2% global, ~2% untracked (no record at all).
 */
export function planSpaces({ seed, projects, count }) {
  const rng = createRng(`${seed}/spaces/${projects.length}`)
  const users = new Map()
  for (const project of projects) {
    for (const name of project.names) {
      let list = users.get(name)
      if (list === undefined) users.set(name, list = [])
      list.push(project.dir)
    }
  }
  const taken = new Set()
  const spaces = []
  const outside = null
  while (spaces.length < count) {
    const roll = rng.next()
    const project = rng.pick(projects)
    let owner
    let records = []
    let kind
    if (roll < 0.09) {
      kind = 'orphan'
      owner = `${rng.pick(GONE_WORDS)}-pkg-${rng.int(count)}`
      records.push({ caller: owner, project: project.dir })
      if (rng.chance(0.3)) records.push({ caller: owner, project: rng.pick(projects).dir })
    } else if (roll < 0.11) {
      kind = 'unattributed'
      owner = rng.pick(project.names)
      records.push({ caller: owner, project: outside })
    } else if (roll < 0.13) {
      kind = 'global'
      owner = null
      records.push({ caller: null, project: project.dir })
    } else if (roll < 0.15) {
      kind = 'untracked'
      owner = rng.pick(project.names)
    } else {
      kind = 'live'
      owner = rng.pick(project.names)
      const dirs = users.get(owner)
      const extra = rng.int(3)
      const from = new Set([project.dir])
      for (let i = 0; i < extra; i++) from.add(rng.pick(dirs))
      for (const dir of from) records.push({ caller: owner, project: dir })
      if (rng.chance(0.05)) records.push({ caller: rng.pick(project.names), project: project.dir })
    }
    let key = rng.pick(KEYS)
    if (taken.has(`${owner}/${key}`)) key = `${key}-${rng.int(1000)}`
    if (taken.has(`${owner}/${key}`)) continue
    taken.add(`${owner}/${key}`)
    // Records of one space must have distinct (caller, project) pairs.
    const seen = new Set()
    records = records.filter((r) => {
      const id = `${r.caller}\0${r.project}`
      if (seen.has(id)) return false
      seen.add(id)
      return true
    })
    spaces.push({ owner, key, kind, records })
  }
  return spaces
}

/**
 * Creates the store at `root` for `projects` and `spaces`: registers every project with the built
 * gc's `registerProject`, and writes every access record through the built runtime's
 * `getScratch`/`getGlobalScratch` (one child process per record round, because the runtime
 * records a (caller, space) pair once per process). Untracked spaces are plain directories.
 */
export async function writeStore({ root, work, dist, projects, spaces, outsideDir }) {
  fs.mkdirSync(root, { recursive: true })
  const registerFile = path.join(work, `register-${path.basename(root)}.json`)
  fs.writeFileSync(registerFile, JSON.stringify({ root, dirs: projects.map((p) => p.dir) }))
  await runNode(path.join(CHILDREN, 'register.cjs'), [dist, registerFile])
  const rounds = Math.max(...spaces.map((s) => s.records.length))
  for (let round = 0; round < rounds; round++) {
    const calls = []
    for (const space of spaces) {
      const record = space.records[round]
      if (record === undefined) continue
      calls.push({ owner: space.owner, key: space.key, caller: record.caller, cwd: record.project ?? outsideDir })
    }
    calls.sort((a, b) => (a.cwd < b.cwd ? -1 : a.cwd > b.cwd ? 1 : 0))
    const file = path.join(work, `records-${path.basename(root)}-${round}.json`)
    fs.writeFileSync(file, JSON.stringify({ root, calls }))
    await runNode(path.join(CHILDREN, 'records.cjs'), [dist, file])
  }
  // Every space holds a little data (two small files), so sizing a space is real work.
  for (const space of spaces) {
    const dir = space.owner === null ? path.join(root, '_global', space.key) : path.join(root, ...space.owner.split('/'), space.key)
    if (space.kind === 'untracked') fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    fs.writeFileSync(path.join(dir, 'index.json'), '{"v":1}\n')
    fs.writeFileSync(path.join(dir, 'blob.bin'), SPACE_BLOB)
  }
}

const SPACE_BLOB = Buffer.alloc(4096, 7)
