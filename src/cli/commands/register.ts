import fs from 'node:fs'
import path from 'node:path'
import { ScratchError } from '../../errors'
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
    const dir = path.resolve(io.cwd, positionals[0] ?? '.')
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new ScratchError('ERR_SCRATCH_NOT_FOUND', `No such project directory: ${dir}`, { hint: 'Pass the directory of a project (where its package.json and lockfile are).' })
    }
    const project = registerProject(dir)
    if (values.json === true) printJson(io, project)
    else io.stdout(`Registered ${project.dir} (${project.status}${project.reason === undefined ? '' : `: ${project.reason}`})\n`)
    return 0
  },
}
