/**
 * Deno 2.9: a project that uses npm packages through `npm:` specifiers runs no script when it
 * drops one, so `scratch init` only explains; `deno run -A npm:pnpm-plugin-scratch gc` (what it
 * says to run) reads deno.lock, deletes the dropped package's space and keeps the others.
 */
import fs from 'node:fs'
import path from 'node:path'
import { DENO_GC_COMMAND } from '../../src/integration/deno'
import { LOCKFILE_FILES } from '../../src/lockfiles'
import { PROJECT_MARKERS } from '../../src/runtime/project'
import { createSandbox, expectSuccess, hasSpace, type RunResult, type Sandbox } from './harness'
import { useRegistry } from './harness/jest'
import { pointToolsAt, runCli, runTool, tool, writeFile } from './harness/managers'

jest.setTimeout(180_000)

const e2e = useRegistry()

// The gc story needs deno.lock as a lockfile and as a project marker; without them a Deno
// project's uses are unattributed, and kept for 30 days.
const readsDenoLock = LOCKFILE_FILES.includes('deno.lock') && (PROJECT_MARKERS as readonly string[]).includes('deno.lock')
if (!readsDenoLock) console.warn('deno.test.ts: skipping the gc story: this build does not read deno.lock (no reader or no project marker)')

function deno(sandbox: Sandbox, cwd: string, ...args: string[]): Promise<RunResult> {
  return runTool(sandbox, tool('deno'), args, { cwd })
}

/** The `deno …` arguments of the command init prints. */
const gcArgs = DENO_GC_COMMAND.split(' ').slice(1)

async function denoProject(): Promise<{ sandbox: Sandbox; dir: string }> {
  const sandbox = createSandbox()
  pointToolsAt(sandbox, e2e.registry)
  const dir = path.join(sandbox.dir, 'project')
  writeFile(dir, 'deno.json', {})
  expectSuccess(await deno(sandbox, dir, 'add', 'npm:fixture-a', 'npm:fixture-b'))
  writeFile(dir, 'main.ts', "import a from 'fixture-a'\nimport b from 'fixture-b'\nconsole.log(a, b)\n")
  expectSuccess(await deno(sandbox, dir, 'run', '-A', 'main.ts'))
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([true, true])
  return { sandbox, dir }
}

test('init explains and changes nothing; the gc command it prints runs under deno', async () => {
  const { sandbox, dir } = await denoProject()
  const files = fs.readdirSync(dir).sort()
  const init = expectSuccess(await runCli(sandbox, ['init'], { cwd: dir }))
  expect(init.stdout).toContain('deno (detected from deno.json)')
  expect(init.stdout).toContain(DENO_GC_COMMAND)
  expect(fs.readdirSync(dir).sort()).toEqual(files)
  const dry = expectSuccess(await deno(sandbox, dir, ...gcArgs, '--dry-run', '--json'))
  expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true })
})

;(readsDenoLock ? test : test.skip)('a Deno project drops fixture-a (deno remove): the gc deletes its space and keeps fixture-b\'s', async () => {
  const { sandbox, dir } = await denoProject()
  expectSuccess(await deno(sandbox, dir, 'remove', 'fixture-a'))
  writeFile(dir, 'main.ts', "import b from 'fixture-b'\nconsole.log(b)\n")
  expectSuccess(await deno(sandbox, dir, 'run', '-A', 'main.ts'))
  expect(fs.readFileSync(path.join(dir, 'deno.lock'), 'utf8')).not.toContain('fixture-a')
  const gc = expectSuccess(await deno(sandbox, dir, ...gcArgs, '--json'))
  const report = JSON.parse(gc.stdout) as { projects: Array<{ dir: string; status: string }> }
  expect(report.projects).toContainEqual(expect.objectContaining({ dir, status: 'present' }))
  expect([hasSpace(sandbox, 'fixture-a'), hasSpace(sandbox, 'fixture-b')]).toEqual([false, true])
})
