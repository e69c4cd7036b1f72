import { deleteScratch } from '../../runtime/spaces'
import { JSON_OPTION, printJson, type Command } from '../command'
import { usageError } from '../io'

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'Delete one scratch space.',
  usage: ['delete OWNER KEY', 'delete --global KEY'],
  options: { ...JSON_OPTION, global: { type: 'boolean' } },
  optionHelp: ['--global   the space is in the global namespace', '--json     print { "removed": bool, "owner", "key" }'],
  examples: ['scratch delete my-lib downloads', 'scratch delete --global shared-models'],
  arity: [1, 2],
  async run({ values, positionals, io }) {
    const global = values.global === true
    if (global !== (positionals.length === 1)) throw usageError(global ? 'delete --global takes only KEY' : 'delete needs OWNER and KEY', 'delete')
    const owner = global ? null : positionals[0]
    const key = positionals[positionals.length - 1]
    const removed = deleteScratch(key, owner === null ? null : { name: owner })
    if (values.json === true) printJson(io, { removed, owner, key })
    else io.stdout(removed ? `Deleted ${owner ?? '(global)'}/${key}\n` : `No space ${owner ?? '(global)'}/${key}; nothing to delete\n`)
    return 0
  },
}
