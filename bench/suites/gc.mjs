// Full gc at scale: projects with ~1,000-package pnpm v9 lockfiles, 10 spaces per project.
// Cold = the registry (names cache) is absent, so every lockfile is read; warm = the registry is
// current, no lockfile changed. Dry runs, so repetitions see the same store; each run is a fresh
// process (like `scratch gc`), which also gives its peak RSS. One real run at the largest size.
// Then the lockfile phase alone (ours, @pnpm/lockfile.fs, the bytes) and the scaling rows.
import fs from 'node:fs'
import path from 'node:path'
import { runNode } from '../lib/child.mjs'
import { planSpaces, writeProjects, writeStore } from '../lib/gen-world.mjs'
import { bundleInternals } from '../lib/internals.mjs'
import { comparison, metric } from '../lib/report.mjs'
import { formatValue, summarize } from '../lib/stats.mjs'

const CHILDREN = path.join(import.meta.dirname, '..', 'children')
const REPO = path.resolve(import.meta.dirname, '..', '..')
const SPACES_PER_PROJECT = 10

function registryFile(root) {
  return path.join(root, '.scratch', 'registry.json')
}

// `scratch gc [--dry-run]` sizes only what it deletes; `sizeKept` is what list and --json do.
async function gcRun(dist, root, dryRun, sizeKept = false) {
  const out = await runNode(path.join(CHILDREN, 'gc.cjs'), [dist, root, dryRun ? '1' : '0', sizeKept ? '1' : '0'])
  if (out.warnings.length > 0) throw new Error(`gc warned: ${out.warnings.join('; ')}`)
  if (Object.keys(out.projects).some((status) => status !== 'present')) throw new Error(`projects not all present: ${JSON.stringify(out.projects)}`)
  return out
}

/**
 * Makes `root`'s registry current without touching its spaces: a real gc over a copy of the
 * bookkeeping directory alone (same projects and lockfiles, no spaces), whose registry.json is
 * then copied back. Its time is the real cold run of a store without spaces; not reported.
 */
async function primeRegistry(dist, root, work) {
  const copy = path.join(work, `${path.basename(root)}-registry`)
  fs.rmSync(copy, { recursive: true, force: true })
  fs.cpSync(path.join(root, '.scratch'), path.join(copy, '.scratch'), { recursive: true })
  await gcRun(dist, copy, false)
  fs.copyFileSync(registryFile(copy), registryFile(root))
  fs.rmSync(copy, { recursive: true, force: true })
}

async function measureSize({ dist, work, root, reps, log, sizedReps = 0 }) {
  const cold = []
  for (let i = 0; i < reps.cold; i++) {
    fs.rmSync(registryFile(root), { force: true })
    cold.push(await gcRun(dist, root, true))
    log(`  cold dry-run ${i + 1}/${reps.cold}: ${formatValue(cold.at(-1).gcMs, 'ms')}, peak RSS ${formatValue(cold.at(-1).maxRssMb, 'MB')}`)
  }
  await primeRegistry(dist, root, work)
  const warm = []
  for (let i = 0; i < reps.warm; i++) {
    warm.push(await gcRun(dist, root, true))
    log(`  warm dry-run ${i + 1}/${reps.warm}: ${formatValue(warm.at(-1).gcMs, 'ms')}`)
  }
  const sized = []
  for (let i = 0; i < sizedReps; i++) {
    sized.push(await gcRun(dist, root, true, true))
    log(`  warm dry-run sizing every space ${i + 1}/${sizedReps}: ${formatValue(sized.at(-1).gcMs, 'ms')}`)
  }
  return { cold, warm, sized }
}

export async function gcSuite({ dist, work, quick, seed, log, info, world: shared }) {
  const sizes = quick ? [20, 60] : [100, 300, 1000]
  const largest = sizes.at(-1)
  const { pool, outsideDir } = shared

  let t = performance.now()
  const projects = shared.projects(largest)
  const bytesOf = (n) => projects.slice(0, n).reduce((sum, p) => sum + p.lockfileBytes, 0)
  log(`  ${largest} projects written (${formatValue(bytesOf(largest) / 2 ** 20, 'MB')} of lockfiles) in ${((performance.now() - t) / 1000).toFixed(1)} s`)

  const stores = new Map()
  for (const size of sizes) {
    t = performance.now()
    const root = path.join(work, `store-${size}`)
    const spaces = planSpaces({ seed, projects: projects.slice(0, size), count: size * SPACES_PER_PROJECT })
    await writeStore({ root, work, dist, projects: projects.slice(0, size), spaces, outsideDir })
    const kinds = {}
    for (const space of spaces) kinds[space.kind] = (kinds[space.kind] ?? 0) + 1
    stores.set(size, { root, spaces: spaces.length, kinds, bytes: bytesOf(size) })
    log(`  store for ${size} projects: ${spaces.length} spaces ${JSON.stringify(kinds)} in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  }

  const runs = new Map()
  for (const size of sizes) {
    log(`  gc over ${size} projects / ${stores.get(size).spaces} spaces`)
    const reps = size === largest ? { cold: quick ? 2 : 5, warm: quick ? 2 : 5 } : { cold: quick ? 2 : 3, warm: quick ? 2 : 3 }
    runs.set(size, await measureSize({ dist, work, root: stores.get(size).root, reps, log, sizedReps: size === largest ? (quick ? 1 : 3) : 0 }))
  }

  // Scaling in the number of projects: 10,000 projects of 100 packages (about the same lockfile
  // bytes as 1,000 × 1,000, ten times the projects and spaces).
  const wideCount = quick ? 200 : 10_000
  t = performance.now()
  const wideProjects = writeProjects({ seed: `${seed}/wide`, dir: path.join(work, 'projects-wide'), count: wideCount, pool, packages: 100 })
  const wideRoot = path.join(work, `store-wide-${wideCount}`)
  const wideSpaces = planSpaces({ seed: `${seed}/wide`, projects: wideProjects, count: wideCount * SPACES_PER_PROJECT })
  await writeStore({ root: wideRoot, work, dist, projects: wideProjects, spaces: wideSpaces, outsideDir })
  const wide = { label: `${wideCount} projects × 100 packages`, root: wideRoot, spaces: wideSpaces.length, bytes: wideProjects.reduce((sum, p) => sum + p.lockfileBytes, 0) }
  log(`  store for ${wide.label}: ${wide.spaces} spaces, ${formatValue(wide.bytes / 2 ** 20, 'MB')} of lockfiles, in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  {
    const wideRuns = await measureSize({ dist, work, root: wideRoot, reps: { cold: quick ? 2 : 3, warm: quick ? 2 : 3 }, log })
    fs.rmSync(wideRoot, { recursive: true, force: true })
    wide.runs = wideRuns
  }

  // The lockfile phase alone, over the largest set of projects.
  const listFile = path.join(work, 'reader-dirs.json')
  fs.writeFileSync(listFile, JSON.stringify({ dirs: projects.map((p) => p.dir) }))
  const internals = await bundleInternals(REPO, dist)
  const phase = { ours: [], 'ours-serial': [], 'lockfile-fs': [], floor: [] }
  const phaseRss = { ours: [], 'ours-serial': [], 'lockfile-fs': [], floor: [] }
  const phaseReps = { ours: quick ? 1 : 5, 'ours-serial': quick ? 1 : 3, 'lockfile-fs': quick ? 1 : 2, floor: quick ? 1 : 5 }
  for (const mode of Object.keys(phase)) {
    if (mode.startsWith('ours') && internals.file === null) continue
    for (let i = 0; i < phaseReps[mode]; i++) {
      const out = await runNode(path.join(CHILDREN, 'readers.cjs'), [mode, listFile, internals.file ?? '-', dist])
      phase[mode].push(out.ms)
      phaseRss[mode].push(out.maxRssMb)
      log(`  lockfile phase ${mode} ${i + 1}/${phaseReps[mode]}: ${formatValue(out.ms, 'ms')}`)
    }
  }

  // Real runs at the largest size: one cold (deletes the orphans), then warm ones, each a
  // `scratch gc` again with nothing changed or used since the one before: what a warm gc is.
  const big = stores.get(largest)
  fs.rmSync(registryFile(big.root), { force: true })
  const realCold = await gcRun(dist, big.root, false)
  const realWarm = []
  for (let i = 0; i < (quick ? 2 : 5); i++) realWarm.push(await gcRun(dist, big.root, false))
  if (realWarm.some((r) => Object.keys(r.spaces).some((kind) => kind !== 'live/keep'))) {
    throw new Error(`a warm real gc did more than keep live spaces: ${JSON.stringify(realWarm.map((r) => r.spaces))}`)
  }
  log(`  real run: cold ${formatValue(realCold.gcMs, 'ms')} ${JSON.stringify(realCold.spaces)}, warm ${realWarm.map((r) => formatValue(r.gcMs, 'ms')).join(', ')}`)
  // The warm dry rows above run over the store as written (a live log never compacted, the
  // orphans still there and sized, as before a first gc); every gc after a real one finds the log
  // compacted and the orphans gone. The same dry run over the store as the real runs left it:
  const afterGc = []
  for (let i = 0; i < (quick ? 2 : 5); i++) afterGc.push(await gcRun(dist, big.root, true))
  log(`  warm dry runs after the real ones: ${afterGc.map((r) => formatValue(r.gcMs, 'ms')).join(', ')}`)

  const { cold, warm, sized } = runs.get(largest)
  const coldStats = summarize(cold.map((r) => r.gcMs))
  const warmStats = summarize(warm.map((r) => r.gcMs))
  const realWarmStats = summarize(realWarm.map((r) => r.gcMs))
  const rssStats = summarize(cold.map((r) => r.maxRssMb))
  const ourPhase = phase.ours.length > 0 ? summarize(phase.ours) : null
  const serialPhase = phase['ours-serial'].length > 0 ? summarize(phase['ours-serial']) : null
  const lfsPhase = summarize(phase['lockfile-fs'])
  const floorPhase = summarize(phase.floor)
  // The rest of the gc (everything but reading lockfiles) is the warm run: the same stats, stamps,
  // history, scan and verdicts, with the names from the cache instead of the lockfiles.
  const rest = warmStats.median
  const restHow = 'warm gc'
  const mb = big.bytes / 2 ** 20
  const world = `${largest} projects × 1,000 packages (${formatValue(mb, 'MB')} of lockfiles), ${big.spaces} spaces`

  info.gc = {
    world: { projects: largest, lockfileMb: mb, spaces: big.spaces, kinds: big.kinds, poolNames: pool.length },
    coldVerdicts: cold[0].spaces, realCold: { gcMs: realCold.gcMs, spaces: realCold.spaces }, realWarm: { gcMs: realWarmStats.median, spaces: realWarm[0].spaces },
    gcRequireMs: summarize(cold.map((r) => r.requireMs)).median,
    restOfGcMs: rest, restOfGcHow: restHow,
    phaseRssMb: Object.fromEntries(Object.entries(phaseRss).map(([k, v]) => [k, summarize(v).median])),
  }

  const estimated = (phaseStats) => ({ n: 0, median: rest + phaseStats.median, min: NaN, max: NaN, samples: [] })
  const metrics = [
    metric({
      id: 'gc-cold', name: `full gc, cold (${largest} projects, ${big.spaces} spaces)`, unit: 'ms', stats: coldStats,
      target: { max: 1000, text: '≤ 1.0 s, ≤ 2× the floor' },
      comparisons: [
        comparison({ name: 'same gc reading lockfiles with @pnpm/lockfile.fs (est.)', unit: 'ms', stats: estimated(lfsPhase), ours: coldStats.median, ratioText: `${formatValue((rest + lfsPhase.median) / coldStats.median, 'x')} ours (bar: ≥ 10×)` }),
        comparison({ name: 'same gc reading only the lockfile bytes, the floor (est.)', unit: 'ms', stats: estimated(floorPhase), ours: coldStats.median, ratioText: `ours is ${formatValue(coldStats.median / (rest + floorPhase.median), 'x')} the floor` }),
      ],
      notes: [world, `dry run in a fresh process per repetition (as scratch gc --dry-run: kept spaces not sized); registry.json deleted before each`, `estimates = ${restHow} (${formatValue(rest, 'ms')}) + that reader's lockfile phase`],
    }),
    metric({
      id: 'gc-warm', name: 'full gc, warm: `scratch gc` again, nothing changed or used since the last', unit: 'ms', stats: realWarmStats,
      target: { max: 300, text: '≤ 0.3 s' },
      comparisons: [
        comparison({ name: 'a dry run over the same store', unit: 'ms', stats: summarize(afterGc.map((r) => r.gcMs)), ours: realWarmStats.median }),
        comparison({ name: 'a dry run over the store a first gc meets (log never compacted, orphans there and sized)', unit: 'ms', stats: warmStats, ours: realWarmStats.median }),
        ...(sized.length === 0 ? [] : [comparison({ name: 'that dry run sizing every kept space too (list, gc --json)', unit: 'ms', stats: summarize(sized.map((r) => r.gcMs)), ours: realWarmStats.median })]),
      ],
      notes: [`real runs in a fresh process each, one after the other, after the real cold run; ${largest} projects, registry current, no lockfile changed, the log all compacted`],
    }),
    metric({
      id: 'gc-peak-rss', name: 'full gc, cold: peak RSS of the process', unit: 'MB', stats: rssStats,
      target: { max: 300, text: '≤ 300 MB' },
      comparisons: [comparison({ name: 'lockfile phase with @pnpm/lockfile.fs alone', unit: 'MB', stats: summarize(phaseRss['lockfile-fs']), ours: rssStats.median })],
    }),
  ]
  if (ourPhase !== null) {
    metrics.push(metric({
      id: 'lockfile-phase', name: `lockfile phase alone (${largest} projects)`, unit: 'ms', stats: ourPhase,
      comparisons: [
        ...(serialPhase === null ? [] : [comparison({ name: 'ours on one thread (checkProject one project after the other)', unit: 'ms', stats: serialPhase, ours: ourPhase.median })]),
        comparison({ name: '@pnpm/lockfile.fs readWantedLockfile', unit: 'ms', stats: lfsPhase, ours: ourPhase.median }),
        comparison({ name: 'readFileSync of the lockfiles (floor)', unit: 'ms', stats: floorPhase, ours: ourPhase.median, ratioText: `ours is ${formatValue(ourPhase.median / floorPhase.median, 'x')} the floor` }),
      ],
      notes: ['per project: stat, lockfile detection, size/mtime stamps, read + parse, importer package.json names; ours on two threads when ≥ 48 projects need reading'],
    }))
  }
  metrics.push(
    metric({ id: 'gc-real-cold', name: 'full gc, real run, cold (deletes the orphans), once', unit: 'ms', stats: summarize([realCold.gcMs]) }),
  )

  // Scaling: cost per lockfile MB (cold) and per space (warm) at each size.
  const perMb = []
  const perSpace = []
  const scaled = [
    ...sizes.map((size) => ({ id: String(size), label: `${size} projects`, store: stores.get(size), runs: runs.get(size) })),
    { id: `${wideCount}x100`, label: wide.label, store: wide, runs: wide.runs },
  ]
  for (const { id, label, store, runs: { cold: c, warm: w } } of scaled) {
    const sizeMb = store.bytes / 2 ** 20
    const coldPerMb = summarize(c.map((r) => r.gcMs / sizeMb))
    const warmPerSpace = summarize(w.map((r) => (r.gcMs * 1000) / store.spaces))
    perMb.push(coldPerMb.median)
    perSpace.push(warmPerSpace.median)
    metrics.push(metric({
      id: `scale-${id}-cold-per-mb`, name: `scaling ${label}: cold gc per lockfile MB`, unit: 'ms/MB', stats: coldPerMb,
      notes: [`${formatValue(sizeMb, 'MB')} of lockfiles, ${store.spaces} spaces; cold ${formatValue(summarize(c.map((r) => r.gcMs)).median, 'ms')}, warm ${formatValue(summarize(w.map((r) => r.gcMs)).median, 'ms')}`],
    }))
    metrics.push(metric({ id: `scale-${id}-warm-per-space`, name: `scaling ${label}: warm gc per space`, unit: 'µs/space', stats: warmPerSpace }))
  }
  // Linear means a constant cost per unit; fixed costs (process start, JIT warm-up) make it fall with size.
  const trend = (values, unit) => `${values.map((v) => formatValue(v, unit)).join(' → ')} (last ÷ first: ${(values.at(-1) / values[0]).toFixed(2)}; largest ÷ smallest: ${(Math.max(...values) / Math.min(...values)).toFixed(2)})`
  metrics.push(metric({
    id: 'scale-linearity', name: `scaling ${scaled.map((x) => x.id).join(' / ')} projects: linear when the per-unit cost stays flat`, unit: 'x',
    stats: summarize([perMb.at(-1) / perMb[0]]),
    notes: [`cold per lockfile MB: ${trend(perMb, 'ms/MB')}`, `warm per space: ${trend(perSpace, 'µs/space')}`],
  }))
  info.scaling = {
    sizes: scaled.map((x) => x.id),
    coldMsPerMb: perMb,
    warmUsPerSpace: perSpace,
    coldPerMbSpread: Math.max(...perMb) / Math.min(...perMb),
    warmPerSpaceSpread: Math.max(...perSpace) / Math.min(...perSpace),
  }
  return metrics
}
