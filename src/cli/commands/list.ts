import { runGc } from '../../gc'
import { resolveOwner } from '../../runtime/owner'
import { JSON_OPTION, printJson, type Command } from '../command'
import { formatReport } from '../format'
import { progress } from '../progress'

export const listCommand: Command = {
  name: 'list',
  summary: 'List every scratch space: owner, size, last use, the projects using it, and whether gc would keep it.',
  usage: ['list [OWNER] [--json]'],
  options: { ...JSON_OPTION },
  optionHelp: ['--json   print the report as JSON (same shape as gc --json)'],
  examples: ['scratch list', 'scratch list @scope/pkg', 'scratch list --json'],
  arity: [0, 1],
  async run({ values, positionals, io }) {
    const owner = positionals[0] === undefined ? undefined : resolveOwner({ name: positionals[0] }).name
    const indicator = progress(io, 'scratch list: judging spaces')
    const report = await runGc({ dryRun: true, onProgress: indicator.update }).finally(indicator.done)
    if (owner !== undefined) report.spaces = report.spaces.filter((space) => space.owner === owner)
    for (const warning of report.warnings) io.stderr(`scratch: warning: ${warning}\n`)
    if (values.json === true) printJson(io, report)
    else io.stdout(formatReport(report, { color: io.color, now: Date.now(), verb: 'list', columns: io.columns }))
    return 0
  },
}
