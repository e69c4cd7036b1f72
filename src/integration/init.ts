import fs from 'node:fs'
import path from 'node:path'
import { ScratchError } from '../errors'
import { writeFileAtomic } from '../store/atomic'
import { dependsOn, projectFileMode, readManifest, scriptsOf, writeManifest, type Manifest } from './manifest'
import { chainScript, unchainScript } from './npm-script'
import { detectPackageManager, hasConfigDependency, pnpmVersion, type PackageManagerName } from './package-manager'
import { BRIDGE_TEXT, bridgeBlocker, bridgeState, PNPMFILE } from './pnpm-bridge'
import { initOtherManager, undoOtherManagers } from './other-managers'

export const PACKAGE_NAME = 'pnpm-plugin-scratch'

/** The one command of the recommended pnpm route (init cannot run it: it needs the registry). */
const PNPM_CONFIG_COMMAND = `pnpm add --config ${PACKAGE_NAME}`

/**
 * One edit `init` made (or, in a dry run, would make). `field` is the dotted path of a
 * package.json field (`scripts.dependencies`), or null for a whole file; `before`/`after` null
 * mean absent (created / removed).
 */
export interface InitChange {
  file: string
  field: string | null
  before: string | null
  after: string | null
}

/** What `scratch init` (or `scratch init --undo`) found and did. */
export interface InitResult {
  dir: string
  packageManager: PackageManagerName
  /** What the package manager was detected from (`package-lock.json`, `--package-manager`…). */
  detectedFrom: string
  dryRun: boolean
  undo: boolean
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

function load(dir: string): Manifest {
  if (!fs.existsSync(dir)) {
    throw new ScratchError('ERR_SCRATCH_NOT_FOUND', `No such directory: ${dir}`, { hint: 'Pass the directory of the project: scratch init path/to/project' })
  }
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
    throw new ScratchError('ERR_SCRATCH_NOT_FOUND', `No package.json in ${dir}`, {
      hint: 'Run scratch init in the project directory, or pass it: scratch init path/to/project',
    })
  }
  return manifest
}

/** Collects edits to package.json and to whole files; `commit` writes them unless it is a dry run. */
class Edits {
  readonly changes: InitChange[] = []
  private manifestDirty = false
  private readonly files: Array<{ file: string; text: string | null }> = []

  constructor(readonly manifest: Manifest) {}

  setScript(name: string, value: string | null): void {
    const scripts = scriptsOf(this.manifest) ?? {}
    const before = typeof scripts[name] === 'string' ? scripts[name] as string : null
    if (value === null) delete scripts[name]
    else scripts[name] = value
    if (Object.keys(scripts).length === 0) delete this.manifest.data.scripts
    else this.manifest.data.scripts = scripts
    this.manifestDirty = true
    this.changes.push({ file: this.manifest.file, field: `scripts.${name}`, before, after: value })
  }

  setFile(file: string, text: string | null): void {
    this.files.push({ file, text })
    this.changes.push({ file, field: null, before: text === null ? 'present' : null, after: text === null ? null : 'created' })
  }

  commit(): void {
    if (this.manifestDirty) writeManifest(this.manifest)
    for (const { file, text } of this.files) {
      if (text === null) fs.rmSync(file, { force: true })
      else writeFileAtomic(file, text, projectFileMode(file))
    }
  }
}

function start(dir: string, opts: InitOptions, undo: boolean): { manifest: Manifest; result: InitResult } {
  const projectDir = path.resolve(dir)
  const manifest = load(projectDir)
  const detection = opts.packageManager === undefined
    ? detectPackageManager(projectDir, manifest, opts.env ?? process.env)
    : { name: opts.packageManager, from: '--package-manager' }
  return {
    manifest,
    result: {
      dir: projectDir, packageManager: detection.name, detectedFrom: detection.from, dryRun: opts.dryRun ?? false, undo,
      changes: [], unchanged: [], notes: [], warnings: [],
    },
  }
}

function isSelf(manifest: Manifest): boolean {
  return dependsOn(manifest, PACKAGE_NAME) || manifest.data.name === PACKAGE_NAME
}

function wireNpm(edits: Edits, result: InitResult): void {
  const { script, outcome } = chainScript(scriptsOf(edits.manifest)?.dependencies)
  if (outcome === 'present') result.unchanged.push('scripts.dependencies already runs scratch gc')
  else edits.setScript('dependencies', script)
  result.notes.push('npm runs the "dependencies" script after every install, update and uninstall that changes node_modules, ' +
    'so the scratch spaces of removed packages are swept at once. The script does nothing (and exits 0) where ' +
    `${PACKAGE_NAME} is not installed: \`npm ci --omit=dev\`, \`NODE_ENV=production npm ci\`, after \`npm uninstall ${PACKAGE_NAME}\`.`)
  if (!isSelf(edits.manifest)) {
    result.warnings.push(`${PACKAGE_NAME} is not a dependency of ${edits.manifest.file}: the script sweeps only while an installed package ` +
      `brings it in. Add it: npm install --save-dev ${PACKAGE_NAME}`)
  }
}

/** The pnpm workspace root above `dir` (a parent with pnpm-workspace.yaml), or null. */
function workspaceRootAbove(dir: string): string | null {
  for (let at = path.dirname(dir); at !== path.dirname(at); at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, 'pnpm-workspace.yaml'))) return at
  }
  return null
}

function wirePnpm(edits: Edits, result: InitResult, env: NodeJS.ProcessEnv): void {
  const dir = result.dir
  const workspaceRoot = fs.existsSync(path.join(dir, 'pnpm-workspace.yaml')) ? null : workspaceRootAbove(dir)
  if (workspaceRoot !== null) {
    // pnpm loads hooks from the workspace root only: a member's .pnpmfile.cjs would never run.
    result.warnings.push(`${dir} is a member of the pnpm workspace ${workspaceRoot}: nothing was wired. Run scratch init in ${workspaceRoot}.`)
    return
  }
  // Revision 1 wrote a bare `scratch gc` postuninstall: it fails `pnpm remove pnpm-plugin-scratch`, and pnpm 10 never runs it.
  const postuninstall = scriptsOf(edits.manifest)?.postuninstall
  if (typeof postuninstall === 'string' && unchainScript(postuninstall) !== postuninstall) edits.setScript('postuninstall', unchainScript(postuninstall))
  const configDependency = hasConfigDependency(dir, PACKAGE_NAME)
  if (configDependency) {
    result.unchanged.push(`${PACKAGE_NAME} is a config dependency (pnpm-workspace.yaml): pnpm loads the plugin itself`)
  } else {
    const state = bridgeState(dir)
    const file = path.join(dir, PNPMFILE)
    if (state === 'absent') edits.setFile(file, BRIDGE_TEXT)
    else if (state === 'ours') result.unchanged.push(`${PNPMFILE} already loads the plugin`)
    else if (state === 'edited') result.warnings.push(`${file} was written by scratch init and edited since: left as it is`)
    else result.warnings.push(`${file} is your own, so it was not changed. Use the config dependency instead: ${PNPM_CONFIG_COMMAND}`)
    const blocker = bridgeBlocker(dir)
    if (blocker !== null && state !== 'foreign') result.warnings.push(`${blocker}: use the config dependency instead: ${PNPM_CONFIG_COMMAND}`)
  }
  result.notes.push(`The recommended route is the config dependency, one command: ${PNPM_CONFIG_COMMAND} ` +
    '(pnpm ≥ 10.13, ≥ 12.8; pnpm loads the plugin on every install, also on a fresh clone).')
  if (!configDependency) {
    result.notes.push(`${PNPMFILE} loads the plugin from node_modules when ${PACKAGE_NAME} is installed in the project, and does nothing ` +
      'otherwise (a fresh clone\'s first install, after the package is removed): it sweeps after every `pnpm add`, `pnpm remove` and re-resolving `pnpm install`.')
  }
  if (isSelf(edits.manifest)) {
    result.notes.push('`pnpm scratch gc` runs the CLI (the package is a dependency of the project).')
  } else {
    result.warnings.push(`${PACKAGE_NAME} is not a dependency of ${edits.manifest.file}: \`pnpm scratch gc\` is not available` +
      (configDependency ? '' : ` and ${PNPMFILE} does nothing`) +
      `. Add it: pnpm add --save-dev ${PACKAGE_NAME} — or run \`pnpm dlx ${PACKAGE_NAME} gc\` instead of \`pnpm scratch gc\`.`)
  }
  const version = pnpmVersion(edits.manifest, env)
  if (version !== null && version.major === 12 && version.minor < 8) {
    result.warnings.push(`pnpm ${version.text} runs no hook on \`pnpm remove\`: upgrade to pnpm ≥ 12.8, or run \`pnpm scratch gc\` after removing packages.`)
  }
}

/**
 * Wires the project in `dir` for automatic cleanup with the package manager it uses: npm gets
 * the `"dependencies"` script of `npm-script.ts` (chained after an existing one; the r1 text is
 * upgraded), pnpm the `.pnpmfile.cjs` bridge of `pnpm-bridge.ts` unless the plugin is a config
 * dependency (and the r1 `postuninstall` goes), keeping package.json's formatting, key order and
 * mode. Idempotent: a second run changes nothing. Returns what it changed and what the user
 * should know. Throws `ERR_SCRATCH_NOT_FOUND` for a missing directory or package.json.
 */
export function initProject(dir: string, opts: InitOptions = {}): InitResult {
  // yarn, bun and Deno: wired (or explained) by their own modules.
  const other = initOtherManager(dir, opts)
  if (other !== null) return other
  const { manifest, result } = start(dir, opts, false)
  const edits = new Edits(manifest)
  const pm = result.packageManager
  if (pm === 'npm') wireNpm(edits, result)
  else if (pm === 'pnpm') wirePnpm(edits, result, opts.env ?? process.env)
  else {
    result.notes.push(`${pm} runs no script after a package is removed, so nothing was wired. ` +
      `Run \`npx ${PACKAGE_NAME} gc\` now and then: it deletes only spaces that no registered project uses.`)
  }
  result.changes = edits.changes
  if (!result.dryRun) edits.commit()
  return result
}

/**
 * Removes exactly what any `scratch init` added to the project in `dir`, whatever package
 * manager it detects now: our `dependencies` and `postuninstall` scripts (current and r1 text;
 * the rest of a chained script stays) and our `.pnpmfile.cjs` (only as written: an edited one
 * is left, with a warning). Idempotent.
 */
export function undoInit(dir: string, opts: InitOptions = {}): InitResult {
  const { manifest, result } = start(dir, opts, true)
  const edits = new Edits(manifest)
  for (const name of ['dependencies', 'postuninstall']) {
    const script = scriptsOf(manifest)?.[name]
    if (typeof script !== 'string') continue
    const rest = unchainScript(script)
    if (rest !== script) edits.setScript(name, rest)
  }
  const state = bridgeState(result.dir)
  if (state === 'ours') edits.setFile(path.join(result.dir, PNPMFILE), null)
  else if (state === 'edited') result.warnings.push(`${path.join(result.dir, PNPMFILE)} was written by scratch init and edited since: remove it yourself`)
  // npm's and pnpm's edits are written first: bun's unwiring re-reads package.json after them.
  if (!result.dryRun) edits.commit()
  // The yarn plugin and bun's postinstall, whatever package manager is detected now.
  const others = undoOtherManagers(result.dir, { dryRun: result.dryRun })
  if (edits.changes.length === 0 && others.length === 0) result.unchanged.push('nothing of scratch init is wired here')
  if (hasConfigDependency(result.dir, PACKAGE_NAME)) result.notes.push(`The config dependency stays: delete ${PACKAGE_NAME} from configDependencies in pnpm-workspace.yaml to remove it.`)
  result.changes = [...edits.changes, ...others]
  return result
}
