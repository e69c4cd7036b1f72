import path from 'node:path'
import { registerProject } from '../../gc'
import { JSON_OPTION, printJson, type Command } from '../command'

export const registerCommand: Command = {
  name: 'register',
  summary: 'Record a project, so gc counts the packages its lockfile lists as in use.',
  usage: ['register [DIR] [--json]'],
  options: { ...JSON_OPTION },
  optionHelp: ['--json   print the project as gc sees it'],
  examples: ['scratch register', 'scratch register ../other-project'],
  arity: [0, 1],
  async run({ values, positionals, io }) {
    const project = registerProject(path.resolve(io.cwd, positionals[0] ?? '.'))
    if (values.json === true) printJson(io, project)
    else io.stdout(`Registered ${project.dir} (${project.status}${project.reason === undefined ? '' : `: ${project.reason}`})\n`)
    return 0
  },
}
