// The scoped sweep as the pnpm plugin runs it after `pnpm remove X` in a project P, with 100
// registered projects (1,000-package lockfiles) and their spaces in the store; X's spaces (only P
// used X) are swept. Compared with what the user waits for anyway: a `pnpm remove` of one package
// in a small offline project (pnpm 10 from node_modules/.bin, link:/file: deps only), with and
// without the plugin loaded through --pnpmfile.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { childEnv, run, runNode } from '../lib/child.mjs'
import { planSpaces, writeStore } from '../lib/gen-world.mjs'
import { comparison, metric } from '../lib/report.mjs'
import { formatValue, summarize } from '../lib/stats.mjs'

const CHILDREN = path.join(import.meta.dirname, '..', 'children')
const REPO = path.resolve(import.meta.dirname, '..', '..')
const require = createRequire(import.meta.url)
const PNPM = path.join(REPO, 'node_modules', '.bin', 'pnpm')

function fillSpace(dir, files, bytes) {
  for (let i = 0; i < files; i++) fs.writeFileSync(path.join(dir, `blob-${i}.bin`), Buffer.alloc(bytes, i))
}

/** The store template: `count` projects and their spaces, plus X's spaces used from P only; registry primed. */
async function hookTemplate({ dist, work, world, seed, count, log }) {
  const projects = world.projects(count)
  const target = projects[0]
  const others = new Set(projects.slice(1).flatMap((p) => p.names))
  const lockfile = fs.readFileSync(path.join(target.dir, 'pnpm-lock.yaml'), 'utf8')
  // A direct dependency (what `pnpm remove` removes) that no other project lists.
  const removed = target.names.find((name) => !others.has(name) && !name.startsWith('bench-project-') && !name.startsWith('ws-') &&
    lockfile.includes(`\n      ${name.startsWith('@') ? `'${name}'` : name}:\n        specifier:`))
  if (removed === undefined) throw new Error('no direct dependency is used by the first project only')
  const spaces = planSpaces({ seed: `${seed}/hook`, projects, count: count * 10 })
  for (const key of ['cache', 'models', 'compiled']) spaces.push({ owner: removed, key: `x-${key}`, kind: 'live', records: [{ caller: removed, project: target.dir }] })
  const root = path.join(work, `hook-template-${count}`)
  await writeStore({ root, work, dist, projects, spaces, outsideDir: world.outsideDir })
  const xDirs = ['cache', 'models', 'compiled'].map((key) => path.join(root, ...removed.split('/'), `x-${key}`))
  for (const dir of xDirs) fillSpace(dir, 32, 16 * 1024)
  // The lockfile object pnpm 10 hands to afterAllResolved (snapshots merged into packages). P has
  // been installed with the plugin before (its entry's source is the hook's, as after any install
  // but the first): one hook run with P's whole lockfile between the priming runs, once the first
  // has deleted the orphans, so it drops nothing.
  const { readWantedLockfile } = require('@pnpm/lockfile.fs')
  const object = await readWantedLockfile(target.dir, { ignoreIncompatible: false })
  const objectFile = path.join(work, 'hook-lockfile.json')
  fs.writeFileSync(objectFile, JSON.stringify(object))
  // A real gc leaves the store as the hook normally finds it: registry current, orphans gone, log
  // compacted, and every project's directory stamp recorded. A gc keeps a stamp only for a directory
  // left alone for 2 s before it started (docs/design.md, "The warm gc"), and these projects were
  // just written: the first run primes the rest, a second one 2 s later the stamps.
  const primedAt = performance.now()
  for (const wait of [0, 2_100]) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, primedAt + wait - performance.now())))
    const primed = await runNode(path.join(CHILDREN, 'gc.cjs'), [dist, root, '0'])
    if (primed.warnings.length > 0) throw new Error(`priming gc warned: ${primed.warnings.join('; ')}`)
    if (wait > 0) continue
    const before = await runNode(path.join(CHILDREN, 'hook.cjs'), [dist, objectFile, target.dir], { env: childEnv({ SCRATCHSPACE_DIR: root }) })
    if (before.lines.length > 0) throw new Error(`the hook run with P's whole lockfile said: ${before.lines.join(' | ')}`)
  }
  const stamped = fs.readFileSync(path.join(root, '.scratch', 'registry.json'), 'utf8').split('"dirStamp":').length - 1
  if (stamped < count) throw new Error(`priming left ${stamped} of ${count} projects without a directory stamp`)
  log(`  hook store: ${count} projects, ${spaces.length} spaces; P = ${path.basename(target.dir)}, removing ${removed}`)

  // What the install that removes X hands to the hook: the same object, minus X.
  for (const importer of Object.values(object.importers)) {
    for (const field of ['specifiers', 'dependencies', 'devDependencies', 'optionalDependencies']) delete importer[field]?.[removed]
  }
  for (const key of Object.keys(object.packages)) if (key.startsWith(`${removed}@`)) delete object.packages[key]
  fs.writeFileSync(objectFile, JSON.stringify(object))
  const source = JSON.parse(fs.readFileSync(path.join(root, '.scratch', 'registry.json'), 'utf8')).projects[target.dir]?.source
  if (source !== 'hook') throw new Error(`P's registry entry has source ${source}, not the hook's`)
  return { root, target, removed, objectFile, xRelative: xDirs.map((dir) => path.relative(root, dir)) }
}

/** A small offline pnpm project: one link: and one file: dependency. */
function smallProject(work) {
  const dir = path.join(work, 'pnpm-small')
  for (const dep of ['dep-a', 'dep-b']) {
    fs.mkdirSync(path.join(dir, dep), { recursive: true })
    fs.writeFileSync(path.join(dir, dep, 'package.json'), JSON.stringify({ name: dep, version: '1.0.0' }))
  }
  const manifest = JSON.stringify({ name: 'small-app', version: '1.0.0', dependencies: { 'dep-a': 'link:./dep-a', 'dep-b': 'file:./dep-b' } }, null, 2)
  fs.writeFileSync(path.join(dir, 'package.json'), manifest)
  return { dir, manifest }
}

/**
 * A fresh copy of `template`'s store at `root`, as the template's last gc left it. A copy is another
 * file to the folded history's snapshot (whose identity is the compacted log's inode and times), so
 * the copy is compacted again (docs/design.md, "The folded history"); fails if that left none.
 */
function copyStore(dist, template, root) {
  fs.cpSync(template.root, root, { recursive: true })
  if (!require(path.join(dist, 'gc.cjs')).compactStore(root) || !fs.existsSync(path.join(root, '.scratch', 'access.compact.folded.json'))) {
    throw new Error(`compacting the copy of the hook store left no folded history in ${root}`)
  }
}

/** The hook's afterAllResolved over fresh copies of `template`'s store, `reps` times. */
async function timeHook({ dist, template, reps, work }) {
  const hookMs = []
  const requireMs = []
  const settledMs = []
  for (let i = 0; i < reps; i++) {
    const root = path.join(work, `hook-run-${i}`)
    copyStore(dist, template, root)
    const out = await runNode(path.join(CHILDREN, 'hook.cjs'), [dist, template.objectFile, template.target.dir], { env: childEnv({ SCRATCHSPACE_DIR: root }) })
    const left = template.xRelative.filter((rel) => fs.existsSync(path.join(root, rel)))
    if (left.length > 0 || out.lines.some((line) => line.includes('warning'))) {
      throw new Error(`the hook did not sweep ${template.removed}'s spaces (left: ${left.join(', ')}); it said: ${out.lines.join(' | ')}`)
    }
    // What the hook left to remove after it returned is gone by the time the process has exited.
    const trash = path.join(root, '.scratch', 'trash')
    const inTrash = fs.existsSync(trash) ? fs.readdirSync(trash) : []
    if (inTrash.length > 0) throw new Error(`the hook's process exited with ${inTrash.length} entries left in the trash of ${root}`)
    hookMs.push(out.hookMs)
    requireMs.push(out.requireMs)
    settledMs.push(out.settledMs)
    fs.rmSync(root, { recursive: true, force: true })
  }
  return { hook: summarize(hookMs), load: summarize(requireMs), settled: summarize(settledMs) }
}

export async function hookSuite({ dist, work, world, seed, quick, log, info }) {
  const count = quick ? 20 : 100
  const bigCount = quick ? 60 : 1000
  const reps = quick ? 3 : 9
  const template = await hookTemplate({ dist, work, world, seed, count, log })
  const { hook, load, settled } = await timeHook({ dist, template, reps, work })
  log(`  hook, ${count} projects: ${formatValue(hook.median, 'ms')} (load ${formatValue(load.median, 'ms')})`)
  const bigTemplate = await hookTemplate({ dist, work, world, seed, count: bigCount, log })
  const big = await timeHook({ dist, template: bigTemplate, reps, work })
  // The template stays for profiling with --keep (the work dir goes otherwise).
  log(`  hook, ${bigCount} projects: ${formatValue(big.hook.median, 'ms')}`)
  const requireMs = load.samples

  // pnpm remove in a small offline project, without and with the plugin (same store as above).
  const small = smallProject(work)
  const pnpmfile = path.join(work, 'pnpmfile.cjs')
  fs.writeFileSync(pnpmfile, `module.exports = require(${JSON.stringify(path.join(dist, 'pnpm-hook.cjs'))})\n`)
  const pnpmEnv = (extra = {}) => childEnv({
    npm_config_store_dir: path.join(work, 'pnpm-store'), npm_config_cache_dir: path.join(work, 'pnpm-cache'),
    npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_registry: 'http://127.0.0.1:9/',
    SCRATCHSPACE_DIR: path.join(work, 'pnpm-scratch-unused'), ...extra,
  })
  const plain = []
  const plugged = []
  for (let i = 0; i < reps; i++) {
    for (const withPlugin of [false, true]) {
      fs.writeFileSync(path.join(small.dir, 'package.json'), small.manifest)
      await run(PNPM, ['install'], { cwd: small.dir, env: pnpmEnv() })
      let root
      const extra = []
      if (withPlugin) {
        root = path.join(work, `pnpm-run-${i}`)
        copyStore(dist, template, root)
        const calls = path.join(work, 'pnpm-small-calls.json')
        fs.writeFileSync(calls, JSON.stringify({ root, calls: [{ owner: 'dep-b', key: 'cache', caller: 'dep-b', cwd: small.dir }] }))
        await runNode(path.join(CHILDREN, 'records.cjs'), [dist, calls])
        extra.push('--pnpmfile', pnpmfile)
      }
      const { ms, stdout } = await run(PNPM, ['remove', 'dep-b', ...extra], { cwd: small.dir, env: pnpmEnv(root === undefined ? {} : { SCRATCHSPACE_DIR: root }) })
      if (withPlugin) {
        if (fs.existsSync(path.join(root, 'dep-b', 'cache'))) throw new Error(`pnpm remove with the plugin left dep-b's space; pnpm said:\n${stdout}`)
        fs.rmSync(root, { recursive: true, force: true })
        plugged.push(ms)
      } else {
        plain.push(ms)
      }
    }
  }
  const plainStats = summarize(plain)
  const pluggedStats = summarize(plugged)
  log(`  pnpm remove: ${formatValue(plainStats.median, 'ms')}, with the plugin ${formatValue(pluggedStats.median, 'ms')}`)
  info.hook = { projects: count, removed: template.removed, hookRequireMs: summarize(requireMs).median }
  return [
    metric({
      id: 'hook-scoped-sweep', name: `scoped sweep in the pnpm hook (${count} registered projects)`, unit: 'ms', stats: hook,
      target: { max: 50, text: '≤ 50 ms' },
      comparisons: [
        comparison({ name: 'pnpm remove, small offline project (wall)', unit: 'ms', stats: plainStats, ours: hook.median, ratioText: `hook = ${formatValue((100 * hook.median) / plainStats.median, '%')} of it` }),
        comparison({ name: 'same pnpm remove with the plugin (--pnpmfile)', unit: 'ms', stats: pluggedStats, ours: hook.median, ratioText: `${formatValue((100 * (pluggedStats.median - plainStats.median)) / plainStats.median, '%')} over without` }),
        comparison({ name: 'removing the swept files, after the hook returned (off the install\'s path)', unit: 'ms', stats: settled, ours: hook.median, ratioText: 'overlaps pnpm\'s own work' }),
      ],
      notes: [`afterAllResolved timed in-process (pnpm 10 runs hooks in-process); loading the hook bundle adds ${formatValue(summarize(requireMs).median, 'ms')} once per pnpm run; the sweep deletes ${template.removed}'s 3 spaces (512 KiB each) every repetition: it moves them out of sight, and their 96 files are removed by a worker thread once the hook has returned, as pnpm 10/11 go on with the install`],
    }),
    metric({
      id: 'hook-scoped-sweep-1000', name: `scoped sweep in the pnpm hook (${bigCount} registered projects)`, unit: 'ms', stats: big.hook,
      target: { max: 150, text: '≤ 150 ms' },
      notes: [`the same sweep over a store of ${bigCount} projects and their spaces; deletes ${bigTemplate.removed}'s 3 spaces`],
    }),
  ]
}
