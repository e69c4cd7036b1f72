import { namespaceDir } from '../../runtime/layout'
import { resolveOwner } from '../../runtime/owner'
import { currentRoot } from '../../runtime/root'
import { scratchPath } from '../../runtime/spaces'
import { JSON_OPTION, printJson, type Command } from '../command'
import { usageError } from '../io'

export const pathCommand: Command = {
  name: 'path',
  summary: 'Print the store root, an owner\'s namespace directory, or a space\'s path (nothing is created).',
  usage: ['path [--json]', 'path OWNER [KEY] [--json]', 'path --global [KEY] [--json]'],
  options: { ...JSON_OPTION, global: { type: 'boolean' } },
  optionHelp: ['--global   the global namespace', '--json     print { "path" }'],
  examples: ['scratch path', 'scratch path my-lib downloads', 'cd "$(scratch path my-lib)"'],
  arity: [0, 2],
  async run({ values, positionals, io }) {
    let result: string
    if (values.global === true) {
      if (positionals.length > 1) throw usageError('path --global takes at most KEY', 'path')
      result = positionals.length === 0 ? namespaceDir(currentRoot(), null) : scratchPath(positionals[0], null)
    } else if (positionals.length === 0) {
      result = currentRoot()
    } else if (positionals.length === 1) {
      result = namespaceDir(currentRoot(), resolveOwner({ name: positionals[0] }).name)
    } else {
      result = scratchPath(positionals[1], { name: positionals[0] })
    }
    if (values.json === true) printJson(io, { path: result })
    else io.stdout(result + '\n')
    return 0
  },
}
