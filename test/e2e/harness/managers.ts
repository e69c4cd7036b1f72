import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { LocalRegistry } from './registry'
import { run, type RunOptions, type RunResult, type Sandbox } from './sandbox'
import { e2eCacheDir, repoRoot } from './tools'

/**
 * The package managers and runtimes beyond npm and pnpm (yarn berry, yarn classic, bun, deno),
 * provisioned into the e2e cache by `scripts/provision-tools.mjs` (the script CI runs; it returns
 * at once when a tool is there), and what a sandbox needs to point each at the local registry.
 */
export type ToolName = 'yarn4' | 'yarn1' | 'bun' | 'deno'

export interface Tool {
  name: ToolName
  version: string
  /** The command line that starts it: `[node, yarn.js]` for yarn, `[binary]` for bun and deno. */
  command: string[]
}

const cached = new Map<ToolName, Tool>()

/** Provisions (once) and describes a tool. */
export function tool(name: ToolName): Tool {
  let found = cached.get(name)
  if (found === undefined) {
    const out = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'provision-tools.mjs'), '--json', name], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SCRATCH_E2E_CACHE: e2eCacheDir() }, timeout: 300_000,
    })
    const info = (JSON.parse(out) as Record<string, { version: string; bin: string; run: string[] }>)[name]
    // yarn is a script: it runs on the Node running the tests, like everything in the sandbox.
    found = { name, version: info.version, command: info.run[0] === info.bin ? [info.bin] : [process.execPath, info.bin] }
    cached.set(name, found)
  }
  return found
}

/** Runs `tool args…` in the sandbox environment. */
export function runTool(sandbox: Sandbox, which: Tool, args: string[], opts: RunOptions): Promise<RunResult> {
  const [bin, ...pre] = which.command
  return run(sandbox, bin, [...pre, ...args], opts)
}

/**
 * The sandbox-wide settings that point every tool at the local registry and keep it quiet: the
 * home `.yarnrc.yml` (yarn berry; a project's own `.yarnrc.yml` stays what the test writes),
 * plus the environment for yarn classic, bun and deno (`NPM_CONFIG_REGISTRY`).
 */
export function pointToolsAt(sandbox: Sandbox, registry: LocalRegistry): void {
  const home = sandbox.env.HOME as string
  fs.writeFileSync(path.join(home, '.yarnrc.yml'), [
    `npmRegistryServer: ${JSON.stringify(registry.url.replace(/\/$/, ''))}`,
    'unsafeHttpWhitelist: ["127.0.0.1"]',
    'enableTelemetry: false',
    'enableProgressBars: false',
    'enableImmutableInstalls: false',
    '',
  ].join('\n'))
  fs.writeFileSync(path.join(home, '.npmrc'), `registry=${registry.url}\n`)
  Object.assign(sandbox.env, {
    NPM_CONFIG_REGISTRY: registry.url,
    npm_config_registry: registry.url,
    YARN_REGISTRY: registry.url,
    DENO_DIR: path.join(home, '.cache', 'deno'),
    DENO_NO_UPDATE_CHECK: '1',
    DENO_NO_PROMPT: '1',
  })
}

/** Writes `<dir>/<rel>` (JSON for objects), creating directories. */
export function writeFile(dir: string, rel: string, content: string | object): void {
  const file = path.join(dir, rel)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`)
}

/** Runs the package's CLI from dist/ (what `npx scratch …` runs) in `cwd`. */
export function runCli(sandbox: Sandbox, args: string[], opts: RunOptions): Promise<RunResult> {
  return run(sandbox, process.execPath, [path.join(repoRoot, 'dist', 'cli.cjs'), ...args], opts)
}
