import { ownersOf, runGc } from '../../gc'
import { resolveOwner } from '../../runtime/owner'
import { JSON_OPTION, printJson, type Command } from '../command'
import { formatReport } from '../format'
import { usageError } from '../io'
import { formatOwners } from '../owners-view'
import { progress } from '../progress'

export const listCommand: Command = {
  name: 'list',
  summary: 'List every scratch space: owner, size, last use, the projects using it, and whether gc would keep it.',
  usage: ['list [OWNER] [--json]', 'list --by owner [--json]'],
  options: { ...JSON_OPTION, by: { type: 'string' } },
  optionHelp: [
    '--by owner   one row per owner, largest first: size, share of the store (with a bar), spaces, live or orphaned',
    '--json       print the report as JSON (same shape as gc --json; with --by owner: { totalBytes, owners })',
  ],
  examples: ['scratch list', 'scratch list @scope/pkg', 'scratch list --json', 'scratch list --by owner', 'scratch list --by owner --json'],
  arity: [0, 1],
  async run({ values, positionals, io }) {
    if (values.by !== undefined && values.by !== 'owner') throw usageError(`--by takes "owner", not ${JSON.stringify(values.by)}`, 'list')
    const owner = positionals[0] === undefined ? undefined : resolveOwner({ name: positionals[0] }).name
    const indicator = progress(io, 'scratch list: judging spaces')
    const report = await runGc({ dryRun: true, onProgress: indicator.update }).finally(indicator.done)
    if (owner !== undefined) report.spaces = report.spaces.filter((space) => space.owner === owner)
    for (const warning of report.warnings) io.stderr(`scratch: warning: ${warning}\n`)
    if (values.by === 'owner') {
      const owners = ownersOf(report)
      if (values.json === true) printJson(io, owners)
      else io.stdout(formatOwners(owners, { color: io.color, columns: io.columns }))
      return 0
    }
    if (values.json === true) printJson(io, report)
    else io.stdout(formatReport(report, { color: io.color, now: Date.now(), verb: 'list', columns: io.columns }))
    return 0
  },
}
