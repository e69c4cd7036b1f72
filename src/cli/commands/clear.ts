import { clearSpaces } from '../../gc'
import { JSON_OPTION, printJson, type Command } from '../command'
import { formatBytes } from '../../bytes'
import { fitTable, plural } from '../table'
import { usageError } from '../io'
import { progress } from '../progress'

export const clearCommand: Command = {
  name: 'clear',
  summary: 'Delete the scratch spaces of the named owners, the global namespace, or everything, whether in use or not.',
  usage: ['clear OWNER... [--dry-run] [--json]', 'clear --global [--dry-run]', 'clear --all --force'],
  options: { ...JSON_OPTION, global: { type: 'boolean' }, all: { type: 'boolean' }, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  optionHelp: [
    '--global     clear the global namespace (getGlobalScratch spaces)',
    '--all        clear every space (needs --force, or a yes on a terminal)',
    '--force      do not ask before --all',
    '--dry-run    show what would be deleted',
    '--json       print the result as JSON',
  ],
  examples: ['scratch clear my-lib', 'scratch clear @scope/a @scope/b --dry-run', 'scratch clear --all --force'],
  arity: [0, Infinity],
  async run({ values, positionals, io }) {
    const all = values.all === true
    const dryRun = values['dry-run'] === true
    if (!all && values.global !== true && positionals.length === 0) throw usageError('Name at least one OWNER, or pass --global or --all', 'clear')
    if (all && positionals.length > 0) throw usageError('--all clears everything; do not name owners with it', 'clear')
    if (all && !dryRun && values.force !== true) {
      if (!io.interactive) throw usageError('clear --all deletes every scratch space; pass --force to confirm', 'clear')
      if (!(await io.confirm('Delete every scratch space of every package?'))) {
        io.stderr('Nothing deleted.\n')
        return 0
      }
    }
    const indicator = progress(io, 'scratch clear: deleting spaces')
    const report = await clearSpaces({ owners: positionals, global: values.global === true, all, dryRun, onProgress: indicator.update }).finally(indicator.done)
    if (values.json === true) {
      printJson(io, report)
    } else {
      if (report.spaces.length > 0) {
        io.stdout(fitTable(report.spaces.map((s) => [`${s.owner ?? '(global)'}/${s.key}`, formatBytes(s.bytes), s.action === 'delete' ? 'would delete' : s.action]), io.columns))
      }
      io.stdout(`${dryRun ? 'Would delete' : 'Deleted'} ${plural(report.spaces.filter((s) => s.action !== 'failed').length, 'space')}, ${formatBytes(report.freedBytes)}\n`)
    }
    return report.spaces.some((s) => s.action === 'failed') ? 1 : 0
  },
}
