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
import { statusCommand } from './commands/status'
import { PromptInterrupted, processIo, usageError, type Io } from './io'
import { parseCommandArgs } from './options'

declare const SCRATCH_VERSION: string

const COMMANDS: Command[] = [gcCommand, listCommand, statusCommand, clearCommand, deleteCommand, pathCommand, registerCommand, initCommand, exportCommand, importCommand]

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
    "Run 'scratch <command> --help' (or 'scratch help <command>') for a command's options and examples.",
    'The store is $SCRATCHSPACE_DIR, else the platform cache directory (scratch path prints it).',
  ].join('\n') + '\n'
}

/** The exit code of a command interrupted at a prompt (Ctrl+C / Ctrl+D), as shells report SIGINT. */
const EXIT_INTERRUPTED = 130

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name)
  if (command === undefined) throw usageError(`Unknown command ${JSON.stringify(name)}`)
  return command
}

/** Prints an error: `CODE: message` and the hint on stderr; with `--json` also one `{ "error" }` document on stdout. */
function reportError(io: Io, err: ScratchError | { code: string; message: string; hint?: string }, json: boolean): void {
  io.stderr(`${err.code}: ${err.message}\n`)
  if (err.hint !== undefined) io.stderr(`  hint: ${err.hint}\n`)
  if (json) io.stdout(JSON.stringify({ error: { code: err.code, message: err.message, ...(err.hint === undefined ? {} : { hint: err.hint }) } }, null, 2) + '\n')
}

/** Runs one command line; returns the exit code: 0 success, 1 failure, 2 usage error, 130 interrupted at a prompt. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    io.stdout(mainHelp())
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${SCRATCH_VERSION}\n`)
    return 0
  }
  const json = rest.slice(0, rest.includes('--') ? rest.indexOf('--') : undefined).includes('--json')
  try {
    if (name === 'help') {
      if (rest.length > 1) throw usageError('help takes one COMMAND: scratch help gc')
      io.stdout(renderHelp(findCommand(rest[0])))
      return 0
    }
    const command = findCommand(name)
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(renderHelp(command))
      return 0
    }
    const parsed = parseCommandArgs(command, rest)
    const [min, max] = command.arity
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw usageError(`Wrong number of arguments for '${command.name}': ${command.usage.map((u) => `scratch ${u}`).join(' | ')}`, command.name)
    }
    return await command.run({ values: parsed.values, positionals: parsed.positionals, io })
  } catch (err) {
    if (err instanceof PromptInterrupted) {
      io.stderr('Interrupted: nothing was deleted.\n')
      return EXIT_INTERRUPTED
    }
    if (isErrno(err)) {
      // A file-system failure the library did not turn into a ScratchError: still coded, no stack trace.
      const file = typeof err.path === 'string' ? err.path : undefined
      reportError(io, {
        code: err.code === 'ENOENT' ? 'ERR_SCRATCH_NOT_FOUND' : 'ERR_SCRATCH_NOT_WRITABLE',
        message: `${file === undefined ? err.message : `${file}: ${err.code}`}`,
        hint: err.code === 'ENOENT' ? 'Check the path.' : 'Check the permissions and free space there; the store is in `scratch path`, or set SCRATCHSPACE_DIR.',
      }, json)
      return 1
    }
    if (!(err instanceof ScratchError)) throw err
    reportError(io, err, json)
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

// Run directly (a bundle of this file alone, as some test harnesses build it): start at once.
// Inside dist/gc.cjs this module is not the main one; dist/cli.cjs calls runCli().
if (require.main === module) runCli()
