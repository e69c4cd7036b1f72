import { parseArgs } from 'node:util'
import { ScratchError, isErrno } from '../errors'
import { renderHelp, type Command } from './command'
import { exportCommand, importCommand } from './commands/archive'
import { clearCommand } from './commands/clear'
import { deleteCommand } from './commands/delete'
import { gcCommand } from './commands/gc'
import { initCommand } from './commands/init'
import { listCommand } from './commands/list'
import { pathCommand } from './commands/path'
import { registerCommand } from './commands/register'
import { processIo, usageError, type Io } from './io'

declare const SCRATCH_VERSION: string

const COMMANDS: Command[] = [gcCommand, listCommand, clearCommand, deleteCommand, pathCommand, registerCommand, initCommand, exportCommand, importCommand]

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    'scratch: per-package scratch spaces, cleaned up when their packages are uninstalled.',
    '',
    'Usage: scratch <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'scratch <command> --help' for a command's options and examples.",
    'The store is $SCRATCHSPACE_DIR, else the platform cache directory (scratch path prints it).',
  ].join('\n') + '\n'
}

/** Runs one command line; returns the exit code: 0 success, 1 failure, 2 usage error. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp())
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${SCRATCH_VERSION}\n`)
    return 0
  }
  try {
    const command = COMMANDS.find((c) => c.name === name)
    if (command === undefined) throw usageError(`Unknown command ${JSON.stringify(name)}`)
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(renderHelp(command))
      return 0
    }
    let parsed: ReturnType<typeof parseArgs>
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true })
    } catch (err) {
      throw usageError((err as Error).message, command.name)
    }
    const [min, max] = command.arity
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw usageError(`Wrong number of arguments for '${command.name}': ${command.usage.map((u) => `scratch ${u}`).join(' | ')}`, command.name)
    }
    return await command.run({ values: parsed.values, positionals: parsed.positionals, io })
  } catch (err) {
    if (isErrno(err)) {
      // A file-system failure the library did not turn into a ScratchError: still no stack trace.
      io.stderr(`${err.code}: ${err.message}\n  hint: check the permissions and free space of the scratch store (scratch path prints it), or set SCRATCHSPACE_DIR.\n`)
      return 1
    }
    if (!(err instanceof ScratchError)) throw err
    io.stderr(`${err.code}: ${err.message}\n`)
    if (err.hint !== undefined) io.stderr(`  hint: ${err.hint}\n`)
    return err.code === 'ERR_SCRATCH_USAGE' ? 2 : 1
  }
}

/** The `scratch` process: runs `process.argv` and sets the exit code (what `dist/cli.cjs` calls). */
export function runCli(): void {
  main(process.argv.slice(2), processIo()).then(
    (code) => { process.exitCode = code },
    (err: unknown) => {
      process.stderr.write(`scratch: unexpected error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
      process.exitCode = 1
    },
  )
}
