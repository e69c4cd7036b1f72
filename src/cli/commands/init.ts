import path from 'node:path'
import { initProject, undoInit, type InitChange, type InitResult } from '../../integration/init'
import { PACKAGE_MANAGERS, type PackageManagerName } from '../../integration/package-manager'
import { JSON_OPTION, printJson, type Command } from '../command'
import { displayPath } from '../format'
import { usageError } from '../io'

function show(value: string | null): string {
  return value === null ? '(none)' : JSON.stringify(value)
}

function describeChange(change: InitChange): string {
  const name = path.basename(change.file)
  if (change.field === null) return `  ${name}: ${change.after === null ? 'removed' : 'created'}`
  return `  ${name} ${change.field}: ${show(change.before)} -> ${show(change.after)}`
}

/** The human view of an init result; warnings go to stderr separately. */
function formatInit(result: InitResult): string {
  const lines = [`${displayPath(result.dir)}: ${result.packageManager} (detected from ${result.detectedFrom})`]
  if (result.changes.length > 0) {
    lines.push(result.dryRun ? 'Would change:' : 'Changed:')
    for (const change of result.changes) lines.push(describeChange(change))
  } else {
    lines.push(`Nothing to change${result.unchanged.length > 0 ? `: ${result.unchanged.join('; ')}` : ''}.`)
  }
  for (const note of result.notes) lines.push(`- ${note}`)
  return lines.join('\n') + '\n'
}

export const initCommand: Command = {
  name: 'init',
  summary: 'Wire a project for automatic cleanup with the package manager it uses (--undo: unwire it), and say what was changed.',
  usage: ['init [DIR] [--package-manager npm|pnpm|yarn|bun] [--dry-run] [--json]', 'init --undo [DIR] [--dry-run] [--json]'],
  options: { ...JSON_OPTION, 'dry-run': { type: 'boolean' }, 'package-manager': { type: 'string' }, undo: { type: 'boolean' } },
  optionHelp: [
    '--package-manager PM   npm, pnpm, yarn or bun; default: from the lockfile, the packageManager field or the running package manager',
    '--undo                 remove exactly what init added, and say what changed',
    '--dry-run              show what would change; write nothing',
    '--json                 print what was found and changed as JSON',
  ],
  examples: [
    'npx pnpm-plugin-scratch init      # npm: adds a "dependencies" script that sweeps after every install and uninstall',
    'pnpm scratch init                 # pnpm: adds a .pnpmfile.cjs that loads the plugin, and prints the config-dependency command',
    'pnpm add --config pnpm-plugin-scratch   # pnpm: the recommended route, the plugin as a config dependency',
    'scratch init packages/app --dry-run',
    'scratch init --undo',
  ],
  arity: [0, 1],
  async run({ values, positionals, io }) {
    const pm = values['package-manager']
    if (pm !== undefined && (typeof pm !== 'string' || !(PACKAGE_MANAGERS as readonly string[]).includes(pm))) {
      throw usageError(`--package-manager must be one of ${PACKAGE_MANAGERS.join(', ')}`, 'init')
    }
    const opts = { env: io.env, packageManager: pm as PackageManagerName | undefined, dryRun: values['dry-run'] === true }
    const dir = path.resolve(io.cwd, positionals[0] ?? '.')
    const result = values.undo === true ? undoInit(dir, opts) : initProject(dir, opts)
    if (values.json === true) printJson(io, result)
    else io.stdout(formatInit(result))
    // After the report, so they are the last thing a person reads.
    for (const warning of result.warnings) io.stderr(`scratch: warning: ${warning}\n`)
    return 0
  },
}
