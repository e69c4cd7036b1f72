import { ScratchError } from '../errors'
import { DAY_MS } from '../runtime/iso-time'

/** Where a command writes, and what it may assume about the terminal. Tests pass their own. */
export interface Io {
  stdout(text: string): void
  stderr(text: string): void
  /** stderr is a terminal (progress, prompts). */
  interactive: boolean
  /** Colour allowed: a TTY and no NO_COLOR. */
  color: boolean
  /** The width tables must fit: the terminal's, else `$COLUMNS`; undefined: no limit (a pipe). */
  columns?: number
  /** Asks a yes/no question on the terminal; only called when `interactive`. Rejects with `PromptInterrupted` on Ctrl+C / Ctrl+D. */
  confirm(question: string): Promise<boolean>
  env: NodeJS.ProcessEnv
  cwd: string
}

/** The Io of the real process. Colour follows Node's own detection, which honours NO_COLOR and FORCE_COLOR. */
export function processIo(): Io {
  const interactive = process.stderr.isTTY === true
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    interactive,
    color: process.stdout.isTTY === true && process.stdout.hasColors() && process.env.NO_COLOR === undefined,
    columns: process.stdout.isTTY === true && process.stdout.columns > 0 ? process.stdout.columns : columnsFromEnv(process.env.COLUMNS),
    confirm: (question) => askYesNo(question),
    env: process.env,
    // Read when a command needs it: a deleted cwd (a build step that removed its own checkout)
    // is a coded error for that command, never a raw uv_cwd stack, and other commands still run.
    get cwd() {
      try {
        return process.cwd()
      } catch {
        throw new ScratchError('ERR_SCRATCH_NOT_WRITABLE', 'the current directory no longer exists', { hint: 'Run the command from an existing directory, or pass absolute paths.' })
      }
    },
  }
}

function columnsFromEnv(value: string | undefined): number | undefined {
  const n = Number(value)
  return Number.isInteger(n) && n > 0 ? n : undefined
}

/** Ctrl+C or Ctrl+D at a prompt: the command stops, having changed nothing (exit 130). */
export class PromptInterrupted extends Error {
  constructor() {
    super('interrupted at the prompt')
    this.name = 'PromptInterrupted'
  }
}

/** A yes/no question on stdin/stderr. Ctrl+C (readline's SIGINT) and Ctrl+D (end of input) reject with PromptInterrupted. */
async function askYesNo(question: string): Promise<boolean> {
  const readline = await import('node:readline')
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr })
  try {
    return await new Promise<boolean>((resolve, reject) => {
      let answered = false
      const interrupted = (): void => {
        answered = true
        process.stderr.write('\n')
        reject(new PromptInterrupted())
      }
      rl.on('SIGINT', interrupted)
      rl.on('close', () => { if (!answered) interrupted() })
      rl.question(`${question} [y/N] `, (answer) => {
        answered = true
        resolve(/^y(es)?$/i.test(answer.trim()))
      })
    })
  } finally {
    rl.close()
  }
}

/** A usage error (exit 2) naming what was wrong and pointing at the command's help. */
export function usageError(message: string, command?: string): ScratchError {
  return new ScratchError('ERR_SCRATCH_USAGE', message, {
    hint: `Run 'scratch ${command === undefined ? '' : `${command} `}--help' for usage and examples.`,
  })
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS }

/** Parses a duration: `30s`, `10m`, `12h`, `7d`, `2w`, or a number of milliseconds. */
export function parseDuration(text: string, option: string, command: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/.exec(text.trim())
  if (match === null) throw usageError(`Invalid duration ${JSON.stringify(text)} for ${option}: use e.g. 30s, 10m, 12h, 7d or milliseconds`, command)
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms'])
}
