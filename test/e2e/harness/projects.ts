import fs from 'node:fs'
import path from 'node:path'
import type { LocalRegistry } from './registry'
import { expectSuccess, run, runNode, type RunOptions, type RunResult, type Sandbox } from './sandbox'
import { repoRoot, type PackageManager } from './tools'

/**
 * How pnpm loads the plugin: `pnpmfile` = the `pnpmfile` setting pointing at `<repo>/pnpmfile.cjs`
 * (pnpm 10: `.npmrc`; pnpm ≥ 11: `pnpm-workspace.yaml`); `config` = `pnpm add --config
 * pnpm-plugin-scratch` from the local registry; `none` = no plugin (baselines).
 */
export type PluginRoute = 'pnpmfile' | 'config' | 'none'

/** A project directory and the package manager that manages it. */
export interface Project {
  dir: string
  pm: PackageManager
  sandbox: Sandbox
  registry: LocalRegistry
}

export interface ProjectOptions {
  sandbox: Sandbox
  pm: PackageManager
  registry: LocalRegistry
  /** Directory name under the sandbox; default `project`. */
  name?: string
  /** pnpm only; default `pnpmfile`. */
  route?: PluginRoute
  /** The file the `pnpmfile` route points at; default `<repo>/pnpmfile.cjs`. */
  pnpmfile?: string
  /** Workspace members (relative dirs) to create, each with a `package.json` named after its last segment. */
  members?: string[]
  /** Extra root `package.json` fields. */
  manifest?: Record<string, unknown>
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`)
}

function yamlList(items: string[]): string {
  return items.map((item) => `\n  - ${JSON.stringify(item)}`).join('')
}

/**
 * Creates a project wired to the local registry and, for pnpm, to the plugin by the chosen
 * route (running `pnpm add --config pnpm-plugin-scratch` for the config route).
 */
export async function createProject(opts: ProjectOptions): Promise<Project> {
  const { sandbox, pm, registry } = opts
  const route = pm.name === 'pnpm' ? opts.route ?? 'pnpmfile' : 'none'
  const dir = path.join(sandbox.dir, opts.name ?? 'project')
  fs.mkdirSync(dir, { recursive: true })
  writeJson(path.join(dir, 'package.json'), { name: path.basename(dir), version: '1.0.0', private: true, ...opts.manifest })
  for (const member of opts.members ?? []) {
    writeJson(path.join(dir, member, 'package.json'), { name: path.basename(member), version: '1.0.0', private: true })
  }
  const npmrc = [`registry=${registry.url}`]
  const workspace: string[] = []
  if (opts.members !== undefined) workspace.push(`packages:${yamlList(opts.members)}`)
  if (pm.name === 'pnpm') {
    const pnpmfile = opts.pnpmfile ?? path.join(repoRoot, 'pnpmfile.cjs')
    if (pm.major >= 11) workspace.push('minimumReleaseAge: 0')
    if (route === 'pnpmfile' && pm.major >= 11) workspace.push(`pnpmfile: ${JSON.stringify(pnpmfile)}`)
    if (route === 'pnpmfile' && pm.major < 11) npmrc.push(`pnpmfile=${pnpmfile}`)
  }
  fs.writeFileSync(path.join(dir, '.npmrc'), `${npmrc.join('\n')}\n`)
  if (workspace.length > 0) fs.writeFileSync(path.join(dir, 'pnpm-workspace.yaml'), `${workspace.join('\n')}\n`)
  const project: Project = { dir, pm, sandbox, registry }
  if (route === 'config') expectSuccess(await runPm(project, ['add', '--config', 'pnpm-plugin-scratch']))
  return project
}

// Flags that keep the package managers quiet and non-interactive.
function quietFlags(pm: PackageManager): string[] {
  if (pm.name === 'npm') return ['--no-audit', '--no-fund', '--loglevel=warn']
  return ['--reporter=append-only', '--config.confirmModulesPurge=false']
}

/** Runs the project's package manager (`pnpm add …`, `npm uninstall …`) in the project (or `opts.cwd`). */
export function runPm(project: Project, args: string[], opts: Partial<RunOptions> = {}): Promise<RunResult> {
  return run(project.sandbox, project.pm.bin, [...args, ...quietFlags(project.pm)], { cwd: project.dir, ...opts })
}

/** `require(name)` from the project (or `opts.cwd`): the fixture libraries create their scratch space. */
export async function requireIn(project: Project, name: string, opts: Partial<RunOptions> = {}): Promise<void> {
  expectSuccess(await runNode(project.sandbox, `require(${JSON.stringify(name)})`, { cwd: project.dir, ...opts }))
}

/** Where `owner`'s space `key` lives in the sandbox store. */
export function spacePath(sandbox: Sandbox, owner: string, key = 'cache'): string {
  return path.join(sandbox.store, owner, key)
}

/** Whether `owner`'s space `key` exists in the sandbox store. */
export function hasSpace(sandbox: Sandbox, owner: string, key = 'cache'): boolean {
  return fs.existsSync(spacePath(sandbox, owner, key))
}

/** The plugin's warning lines in a command's output. */
export function warningLines(result: RunResult): string[] {
  return result.output.split('\n').filter((line) => /pnpm-plugin-scratch:.*\bwarning\b/.test(line))
}

/** The plugin's lines (summaries and warnings) in a command's output. */
export function pluginLines(result: RunResult): string[] {
  return result.output.split('\n').filter((line) => line.includes('pnpm-plugin-scratch:'))
}
