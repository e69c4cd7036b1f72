/**
 * Where the pnpm hook removes the spaces it sweeps (docs/design.md, "Removing after the sweep"):
 * pnpm 10 and 11 run it in their own process, which waits for the hook's worker thread, so the
 * sweep only moves the spaces to the trash and the files go afterwards; pnpm 12 kills its hook
 * worker once the hook has answered, so the sweep removes them itself. A pnpmfile wrapping the
 * built hook looks at the trash the moment the hook returns; after pnpm exits it must be empty.
 * Offline: the project's dependencies are `file:` directories.
 */
import fs from 'node:fs'
import path from 'node:path'
import { trashDir } from '../../src/runtime/layout'
import { createSandbox, expectSuccess, pnpm10, pnpm11, pnpm12, removeSandboxes, repoRoot, run, runNode, type PackageManager } from './harness'

jest.setTimeout(180_000)

afterEach(() => removeSandboxes())

const matrix: Array<{ label: string; tool: () => PackageManager; atReturn: 'in the trash' | 'removed' }> = [
  { label: 'pnpm 10', tool: pnpm10, atReturn: 'in the trash' },
  { label: 'pnpm 11', tool: pnpm11, atReturn: 'in the trash' },
  { label: 'pnpm 12', tool: pnpm12, atReturn: 'removed' },
]

test.each(matrix)('$label: the swept space is $atReturn when the hook returns, and off the disk when pnpm has exited', async ({ tool, atReturn }) => {
  const sandbox = createSandbox()
  const pm = tool()
  const app = path.join(sandbox.dir, 'app')
  for (const dep of ['dep-a', 'dep-b']) {
    fs.mkdirSync(path.join(app, dep), { recursive: true })
    fs.writeFileSync(path.join(app, dep, 'package.json'), JSON.stringify({ name: dep, version: '1.0.0' }))
  }
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'dep-a': 'file:./dep-a', 'dep-b': 'file:./dep-b' } }))
  const probe = path.join(sandbox.dir, 'probe.jsonl')
  fs.writeFileSync(path.join(app, '.pnpmfile.cjs'), `const fs = require('node:fs')
const { hooks } = require(${JSON.stringify(path.join(repoRoot, 'dist', 'pnpm-hook.cjs'))})
const trash = ${JSON.stringify(trashDir(sandbox.store))}
module.exports = { hooks: {
  preResolution: hooks.preResolution,
  afterAllResolved (lockfile, ctx) {
    const out = hooks.afterAllResolved(lockfile, ctx)
    const entries = fs.existsSync(trash) ? fs.readdirSync(trash) : []
    fs.appendFileSync(${JSON.stringify(probe)}, JSON.stringify({ entries: entries.length }) + '\\n')
    return out
  },
} }
`)
  const opts = { cwd: app, env: { npm_config_offline: 'true', npm_config_store_dir: path.join(sandbox.dir, 'pnpm-store') } }
  expectSuccess(await run(sandbox, pm.bin, ['install'], opts))
  // dep-b's cache, used from the project: 1,500 files, more than the sweep removes before it hands
  // the rest to the worker (1 ms) on any disk.
  expectSuccess(await runNode(sandbox, `const fs = require('node:fs')
    const { getScratch } = require(${JSON.stringify(path.join(repoRoot, 'dist', 'index.cjs'))})
    const dir = getScratch('cache', ${JSON.stringify(path.join(app, 'dep-b'))})
    for (let i = 0; i < 1500; i++) fs.writeFileSync(dir + '/entry-' + i, 'cached')`, { cwd: app }))
  fs.writeFileSync(probe, '')
  const removed = expectSuccess(await run(sandbox, pm.bin, ['remove', 'dep-b'], opts))
  expect(removed.output).toMatch(/removed 1 scratch space .*dep-b/)
  const seen = fs.readFileSync(probe, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { entries: number })
  expect(seen).toEqual([{ entries: atReturn === 'in the trash' ? 1 : 0 }])
  expect(fs.existsSync(path.join(sandbox.store, 'dep-b', 'cache'))).toBe(false)
  expect(fs.readdirSync(trashDir(sandbox.store))).toEqual([])
})
