import path from 'node:path'
import { ScratchError } from '../errors'
import { dependsOn, readManifest, scriptsOf, writeManifest, type Manifest } from './manifest'
import { detectPackageManager, hasConfigDependency, type PackageManagerName } from './package-manager'
import { initOtherManager } from './other-managers'

/** The command the lifecycle scripts run (SPEC §6). */
export const GC_SCRIPT = 'scratch gc --project .'
const PACKAGE_NAME = 'pnpm-plugin-scratch'

/**
 * The root script each package manager runs after a removal: npm runs `dependencies` after any
 * install or uninstall that changed node_modules; pnpm ≥ 11.28 / ≥ 12.6 run `postuninstall`
 * after `pnpm remove`. yarn and bun have none.
 */
const SCRIPT_FOR: Record<PackageManagerName, string | null> = { npm: 'dependencies', pnpm: 'postuninstall', yarn: null, bun: null, deno: null }

/** One edit `init` made (or, in a dry run, would make). */
export interface InitChange {
  file: string
  /** Dotted path of the field, e.g. `scripts.dependencies`. */
  field: string
  before: string | null
  after: string
}

/** What `scratch init` found and did. */
export interface InitResult {
  dir: string
  packageManager: PackageManagerName
  /** What the package manager was detected from (`package-lock.json`, `--package-manager`…). */
  detectedFrom: string
  dryRun: boolean
  changes: InitChange[]
  /** Wiring already in place, left alone. */
  unchanged: string[]
  /** How cleanup works for this package manager, and what else the user may set up. */
  notes: string[]
  /** What will not work until the user acts. */
  warnings: string[]
}

export interface InitOptions {
  env?: NodeJS.ProcessEnv
  /** Skip detection. */
  packageManager?: PackageManagerName
  /** Report the changes without writing them. */
  dryRun?: boolean
}

/** The new value of a script so that it also runs the gc, or null when it already does. */
export function chainGcScript(existing: unknown): string | null {
  if (typeof existing !== 'string' || existing.trim() === '') return GC_SCRIPT
  if (/(^|[\s;&|(])scratch\s+gc(\s|$)/.test(existing)) return null
  return `${existing} && ${GC_SCRIPT}`
}

function load(dir: string): Manifest {
  let manifest: Manifest | null
  try {
    manifest = readManifest(dir)
  } catch (err) {
    throw new ScratchError('ERR_SCRATCH_USAGE', `Cannot read ${path.join(dir, 'package.json')}: ${(err as Error).message}`, {
      hint: 'Fix the package.json (it must be a JSON object), then run scratch init again.',
      cause: err,
    })
  }
  if (manifest === null) {
    throw new ScratchError('ERR_SCRATCH_USAGE', `No package.json in ${dir}`, {
      hint: 'Run scratch init in the project directory, or pass it: scratch init path/to/project',
    })
  }
  return manifest
}

function pnpmNotes(dir: string): string[] {
  const notes = [
    'pnpm ≥ 11.28 and ≥ 12.6 run the root "postuninstall" script after `pnpm remove` (older versions do not). ' +
      'In a workspace, `pnpm remove --filter <member>` runs the member\'s scripts, not the root\'s.',
  ]
  if (hasConfigDependency(dir, PACKAGE_NAME)) {
    notes.push('The pnpm plugin is installed as a config dependency (pnpm-workspace.yaml): it sweeps after every ' +
      '`pnpm add`, `pnpm remove` and re-resolving `pnpm install` (pnpm ≥ 10.13, ≥ 12.8).')
  } else {
    notes.push('For a sweep after every `pnpm add`, `pnpm remove` and `pnpm install` (pnpm ≥ 10.13, ≥ 12.8), also install ' +
      `the plugin as a config dependency: pnpm add --config ${PACKAGE_NAME}`)
  }
  return notes
}

function missingBinWarning(manifest: Manifest, pm: 'npm' | 'pnpm', script: string): string {
  const install = pm === 'npm' ? `npm install --save-dev ${PACKAGE_NAME}` : `pnpm add --save-dev ${PACKAGE_NAME}`
  const why = pm === 'npm'
    ? `npm installs that command only while some package depends on ${PACKAGE_NAME}; without it \`npm install\` and \`npm uninstall\` fail`
    : 'pnpm links only direct dependencies\' commands into node_modules/.bin, so without it `pnpm remove` fails'
  return `${PACKAGE_NAME} is not a dependency of ${manifest.file}: the "${script}" script runs \`scratch\`, and ${why}. Add it: ${install}`
}

/**
 * Wires the project in `dir` for automatic cleanup with the package manager it uses (SPEC §6):
 * npm gets `scripts.dependencies`, pnpm `scripts.postuninstall` (chained with `&&` after an
 * existing script), keeping the manifest's formatting and key order. Idempotent: a script that
 * already runs `scratch gc` is left alone. Returns what it changed and what the user should know.
 */
export function initProject(dir: string, opts: InitOptions = {}): InitResult {
  const projectDir = path.resolve(dir)
  // yarn, bun and Deno: wired (or explained) by their own modules.
  const other = initOtherManager(projectDir, opts); if (other !== null) return other
  const manifest = load(projectDir)
  const detection = opts.packageManager === undefined
    ? detectPackageManager(projectDir, manifest, opts.env ?? process.env)
    : { name: opts.packageManager, from: '--package-manager' }
  const pm = detection.name
  const result: InitResult = {
    dir: projectDir, packageManager: pm, detectedFrom: detection.from, dryRun: opts.dryRun ?? false,
    changes: [], unchanged: [], notes: [], warnings: [],
  }
  const script = SCRIPT_FOR[pm]
  if (script === null) {
    result.notes.push(`${pm} runs no script after a package is removed, so nothing was wired. ` +
      'Run `scratch gc` now and then: it deletes only spaces that no registered project uses.')
    return result
  }
  const existing = scriptsOf(manifest)?.[script]
  const next = chainGcScript(existing)
  if (next === null) {
    result.unchanged.push(`scripts.${script} already runs scratch gc`)
  } else {
    const scripts = scriptsOf(manifest) ?? {}
    scripts[script] = next
    manifest.data.scripts = scripts
    result.changes.push({ file: manifest.file, field: `scripts.${script}`, before: typeof existing === 'string' ? existing : null, after: next })
    if (!result.dryRun) writeManifest(manifest)
  }
  if (pm === 'npm') {
    result.notes.push('npm runs the "dependencies" script after every install, update and uninstall that changes node_modules, ' +
      'so the scratch spaces of removed packages are swept at once.')
  } else {
    result.notes.push(...pnpmNotes(projectDir))
  }
  if (!dependsOn(manifest, PACKAGE_NAME) && manifest.data.name !== PACKAGE_NAME) result.warnings.push(missingBinWarning(manifest, pm === 'npm' ? 'npm' : 'pnpm', script))
  return result
}
