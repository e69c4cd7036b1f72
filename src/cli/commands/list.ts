import { runGc } from '../../gc'
import { resolveOwner } from '../../runtime/owner'
import { JSON_OPTION, printJson, type Command } from '../command'
import { formatReport } from '../format'

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
    const report = await runGc({ dryRun: true })
    if (owner !== undefined) report.spaces = report.spaces.filter((space) => space.owner === owner)
    for (const warning of report.warnings) io.stderr(`scratch: warning: ${warning}\n`)
    if (values.json === true) printJson(io, report)
    else io.stdout(formatReport(report, { color: io.color, now: Date.now(), verb: 'list' }))
    return 0
  },
}
