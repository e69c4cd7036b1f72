import fs from 'node:fs'
import path from 'node:path'
import { ScratchError } from '../../errors'
import { exportScratch, importScratch } from '../../archive/api'
import { JSON_OPTION, printJson, type Command } from '../command'
import { formatBytes } from '../../bytes'
import { usageError } from '../io'

/** `OWNER KEY` or `--global KEY` → the owner argument of the API (null: global). */
function ownerAndKey(positionals: string[], global: boolean, command: string): { owner: { name: string } | null; key: string } {
  if (global ? positionals.length !== 1 : positionals.length !== 2) {
    throw usageError(global ? `${command} --global takes only KEY` : `${command} needs OWNER and KEY`, command)
  }
  return global ? { owner: null, key: positionals[0] } : { owner: { name: positionals[0] }, key: positionals[1] }
}

/** `--max-bytes N`: a whole number of bytes, else a usage error naming the value. */
function parseByteCount(text: string): number {
  const value = /^[0-9]{1,15}$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(value)) throw usageError(`--max-bytes needs a whole number of bytes, got ${JSON.stringify(text)}`, 'import')
  return value
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'Write a space to a deterministic .tar.gz and print its integrity (sha512 SRI).',
  usage: ['export OWNER KEY -o FILE [--json]', 'export --global KEY -o FILE'],
  options: { ...JSON_OPTION, output: { type: 'string', short: 'o' }, global: { type: 'boolean' } },
  optionHelp: ['-o, --output FILE   the archive to write (required)', '--global            the space is in the global namespace', '--json              print { "integrity", "bytes", "file" }'],
  examples: ['scratch export my-lib models -o models.tgz', 'scratch import models.tgz my-lib models --integrity "$(scratch export my-lib models -o models.tgz)"'],
  arity: [1, 2],
  async run({ values, positionals, io }) {
    if (typeof values.output !== 'string') throw usageError('export needs -o FILE', 'export')
    const { owner, key } = ownerAndKey(positionals, values.global === true, 'export')
    const file = path.resolve(io.cwd, values.output)
    if (!fs.statSync(path.dirname(file), { throwIfNoEntry: false })?.isDirectory()) {
      throw new ScratchError('ERR_SCRATCH_NOT_FOUND', `No such directory ${path.dirname(file)} to write ${path.basename(file)} into`, {
        hint: 'Create the directory first, or pass -o a file in an existing directory.',
      })
    }
    const { integrity, bytes } = await exportScratch(key, owner, file)
    if (values.json === true) printJson(io, { integrity, bytes, file })
    else {
      io.stdout(`${integrity}\n`)
      io.stderr(`Wrote ${file} (${formatBytes(bytes)})\n`)
    }
    return 0
  },
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Install a space from an archive made by `scratch export`, verifying its integrity when given. Replaces an existing space.',
  usage: ['import FILE OWNER KEY [--integrity SRI] [--max-bytes N] [--json]', 'import FILE --global KEY [--integrity SRI] [--max-bytes N]'],
  options: { ...JSON_OPTION, integrity: { type: 'string' }, global: { type: 'boolean' }, 'max-bytes': { type: 'string' } },
  optionHelp: [
    '--integrity SRI   refuse the archive unless it matches (sha512-…)',
    '--max-bytes N     refuse an archive whose files unpack to more than N bytes',
    '--global          install into the global namespace',
    '--json            print { "path" }',
  ],
  examples: ['scratch import models.tgz my-lib models --integrity sha512-…', 'scratch import shared.tgz --global shared', 'scratch import download.tgz my-lib data --max-bytes 1073741824'],
  arity: [2, 3],
  async run({ values, positionals, io }) {
    const [file, ...rest] = positionals
    const { owner, key } = ownerAndKey(rest, values.global === true, 'import')
    const opts: { integrity?: string; maxBytes?: number } = {}
    if (typeof values.integrity === 'string') opts.integrity = values.integrity
    if (typeof values['max-bytes'] === 'string') opts.maxBytes = parseByteCount(values['max-bytes'])
    const target = await importScratch(path.resolve(io.cwd, file), key, owner, opts)
    if (values.json === true) printJson(io, { path: target })
    else io.stdout(`${target}\n`)
    return 0
  },
}
