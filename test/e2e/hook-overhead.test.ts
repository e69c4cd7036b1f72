/**
 * Measures what the plugin adds to `pnpm remove`: the same steps in projects without a plugin,
 * with a no-op pnpmfile (what any pnpmfile costs: pnpm 12 starts a node worker for it), and with
 * this plugin by both routes. Runs are interleaved across the projects so that load on the
 * machine affects them alike; the medians are reported. Opt-in, since it only reports:
 *
 *   SCRATCH_E2E_MEASURE=1 npx jest --selectProjects e2e --runTestsByPath test/e2e/hook-overhead.test.ts
 */
import fs from 'node:fs'
import path from 'node:path'
import {
  createProject, createSandbox, e2ePackages, expectSuccess, pnpm10, pnpm12, removeSandboxes, requireIn, runPm, startRegistry,
  type LocalRegistry, type PackageManager, type Project, type ProjectOptions,
} from './harness'

const RUNS = Number(process.env.SCRATCH_E2E_MEASURE_RUNS ?? 9)
const enabled = process.env.SCRATCH_E2E_MEASURE === '1'

jest.setTimeout(900_000)

let registry: LocalRegistry
beforeAll(async () => { if (enabled) registry = await startRegistry(e2ePackages().all) })
afterAll(async () => { await registry?.close() })
afterEach(() => removeSandboxes())

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

(enabled ? test.each : test.skip.each)([
  { label: 'pnpm 10', tool: pnpm10 },
  { label: 'pnpm 12', tool: pnpm12 },
])('$label: time the plugin adds to pnpm remove', async ({ tool }: { tool: () => PackageManager }) => {
  const pm = tool()
  const sandbox = createSandbox()
  const noop = path.join(sandbox.dir, 'noop-pnpmfile.cjs')
  fs.writeFileSync(noop, 'module.exports = { hooks: { preResolution () {}, afterAllResolved (lockfile) { return lockfile } } }\n')
  const variants: Array<[string, Partial<ProjectOptions>]> = [
    ['no pnpmfile', { route: 'none' }],
    ['no-op pnpmfile', { route: 'pnpmfile', pnpmfile: noop }],
    ['plugin via pnpmfile', { route: 'pnpmfile' }],
    ['plugin via config dep', { route: 'config' }],
  ]
  const projects: Array<[string, Project]> = []
  for (const [label, opts] of variants) {
    const project = await createProject({ sandbox, pm, registry, name: label.replace(/\W+/g, '-'), ...opts })
    expectSuccess(await runPm(project, ['add', 'fixture-b']))
    projects.push([label, project])
  }
  const times = new Map<string, number[]>(variants.map(([label]) => [label, []]))
  for (let i = 0; i <= RUNS; i++) {
    for (const [label, project] of projects) {
      expectSuccess(await runPm(project, ['add', 'fixture-a']))
      await requireIn(project, 'fixture-a')
      const started = process.hrtime.bigint()
      expectSuccess(await runPm(project, ['remove', 'fixture-a']))
      // The first round warms caches and is not counted.
      if (i > 0) times.get(label)?.push(Number(process.hrtime.bigint() - started) / 1e6)
    }
  }
  const base = median(times.get('no pnpmfile') ?? [])
  const rows = [...times].map(([label, ms]) => `  ${label.padEnd(22)} median ${median(ms).toFixed(0).padStart(4)} ms ` +
    `(${(median(ms) - base >= 0 ? '+' : '') + (median(ms) - base).toFixed(0)} ms)  runs ${ms.map((t) => t.toFixed(0)).join(' ')}`)
  console.log([`pnpm ${pm.version}, \`pnpm remove fixture-a\`, ${RUNS} interleaved runs:`, ...rows].join('\n'))
})
