import type { ParseArgsConfig } from 'node:util'
import type { Io } from './io'

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>

/** What a parsed command line gives a command. */
export interface Invocation {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>
  positionals: string[]
  io: Io
}

/**
 * One `scratch` command: its help, its options, and a handler that calls the library and formats
 * the data it returns. Returns the exit code (0 success, 1 failure); usage errors are thrown.
 */
export interface Command {
  name: string
  summary: string
  usage: string[]
  options: OptionsConfig
  /** One line per option: `--flag VALUE  what it does`. */
  optionHelp: string[]
  examples: string[]
  /** Positional arguments accepted: [min, max]. */
  arity: [number, number]
  run(invocation: Invocation): Promise<number>
}

/** The `--help` text of a command, built from its data. */
export function renderHelp(command: Command): string {
  const lines = [command.summary, '', 'Usage:', ...command.usage.map((u) => `  scratch ${u}`)]
  if (command.optionHelp.length > 0) lines.push('', 'Options:', ...command.optionHelp.map((o) => `  ${o}`))
  if (command.examples.length > 0) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`))
  return lines.join('\n') + '\n'
}

/** The `--json` option every reporting command shares. */
export const JSON_OPTION = { json: { type: 'boolean' } } as const satisfies OptionsConfig

/** Prints a value as the one JSON document on stdout. */
export function printJson(io: Io, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n')
}
