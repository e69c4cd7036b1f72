import path from 'node:path'
import { ScratchError } from '../errors'
import { readManifest, scriptsOf, writeManifest, type Manifest } from './manifest'
import type { WiringChange } from './yarn-berry'

/**
 * bun wiring: bun runs the root `postinstall` script after every `bun install`, `bun add` and
 * `bun remove`, once `bun.lock` and node_modules are written, so that script sweeps
 * (docs/design.md, "bun").
 *
 * The script must never fail an install: not on a fresh clone before anything is installed,
 * not under `bun install --production` where the package may be a devDependency, not after
 * `bun remove pnpm-plugin-scratch`. So it is not `scratch gc` (a missing bin fails the install)
 * but a `node -e` one-liner that looks the package up, exits 0 when it is not there, and runs
 * its `scratch` bin as a child so that it exits 0 whatever the gc does (`scratch gc --project`
 * itself exits 0 for everything but usage errors). It uses no character `sh` or `cmd` treat specially inside double quotes.
 */
export const BUN_GC_SCRIPT = 'node -e "var r=require,p;try{p=r.resolve(\'pnpm-plugin-scratch/package.json\')}catch(e){process.exit(0)}' +
  'r(\'child_process\').spawnSync(process.execPath,[r(\'path\').join(p,\'..\',r(p).bin.scratch),\'gc\',\'--project\',\'.\'],{stdio:\'inherit\'})"'

const SCRIPT = 'postinstall'
const SEPARATOR = ' && '

function load(dir: string): Manifest {
  const manifest = readManifest(dir)
  if (manifest === null) {
    throw new ScratchError('ERR_SCRATCH_USAGE', `No package.json in ${dir}`, {
      hint: 'Run scratch init in the project directory, or pass it: scratch init path/to/project',
    })
  }
  return manifest
}

function commands(script: string): string[] {
  return script.split(SEPARATOR).map((part) => part.trim())
}

/**
 * Adds {@link BUN_GC_SCRIPT} to the root `postinstall` of `dir` (after an existing script, with
 * `&&`), keeping the manifest's formatting. Idempotent. Returns what changed.
 */
export function wire(dir: string, opts: { dryRun?: boolean } = {}): WiringChange[] {
  const manifest = load(path.resolve(dir))
  const scripts = scriptsOf(manifest) ?? {}
  const existing = scripts[SCRIPT]
  if (typeof existing === 'string' && commands(existing).includes(BUN_GC_SCRIPT)) return []
  const next = typeof existing !== 'string' || existing.trim() === '' ? BUN_GC_SCRIPT : `${existing}${SEPARATOR}${BUN_GC_SCRIPT}`
  scripts[SCRIPT] = next
  manifest.data.scripts = scripts
  if (opts.dryRun !== true) writeManifest(manifest)
  return [{ file: manifest.file, field: `scripts.${SCRIPT}`, before: typeof existing === 'string' ? existing : null, after: next }]
}

/**
 * Removes what {@link wire} added: our command from `postinstall` (the key, and an empty
 * `scripts`, go when nothing else is left). Returns what changed; nothing when not wired.
 */
export function unwire(dir: string, opts: { dryRun?: boolean } = {}): WiringChange[] {
  const manifest = readManifest(path.resolve(dir))
  const scripts = manifest === null ? undefined : scriptsOf(manifest)
  const existing = scripts?.[SCRIPT]
  if (manifest === null || scripts === undefined || typeof existing !== 'string') return []
  const parts = commands(existing)
  if (!parts.includes(BUN_GC_SCRIPT)) return []
  const rest = parts.filter((part) => part !== BUN_GC_SCRIPT)
  if (rest.length > 0) scripts[SCRIPT] = rest.join(SEPARATOR)
  else delete scripts[SCRIPT]
  if (Object.keys(scripts).length === 0) delete manifest.data.scripts
  if (opts.dryRun !== true) writeManifest(manifest)
  return [{ file: manifest.file, field: `scripts.${SCRIPT}`, before: existing, after: rest.length > 0 ? rest.join(SEPARATOR) : null }]
}

/** What `scratch init` tells a bun user. */
export const BUN_NOTES: readonly string[] = Object.freeze([
  'bun runs the root "postinstall" script after every `bun install`, `bun add` and `bun remove`, so the scratch spaces ' +
    'of removed packages are swept at once. The script does nothing (and never fails an install) where pnpm-plugin-scratch ' +
    'is not installed; keep it as a devDependency (bun add --dev pnpm-plugin-scratch) for `bunx scratch gc` to work.',
])
