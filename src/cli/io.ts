import { ScratchError } from '../errors'

/** Where a command writes, and what it may assume about the terminal. Tests pass their own. */
export interface Io {
  stdout(text: string): void
  stderr(text: string): void
  /** stderr is a terminal (progress, prompts). */
  interactive: boolean
  /** Colour allowed: a TTY and no NO_COLOR. */
  color: boolean
  /** Asks a yes/no question on the terminal; only called when `interactive`. */
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
    async confirm(question) {
      const readline = await import('node:readline/promises')
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr })
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim())
      } finally {
        rl.close()
      }
    },
    env: process.env,
    cwd: process.cwd(),
  }
}

/** A usage error (exit 2) naming what was wrong and pointing at the command's help. */
export function usageError(message: string, command?: string): ScratchError {
  return new ScratchError('ERR_SCRATCH_USAGE', message, {
    hint: `Run 'scratch ${command === undefined ? '' : `${command} `}--help' for usage and examples.`,
  })
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** Parses a duration: `30s`, `10m`, `12h`, `7d`, `2w`, or a number of milliseconds. */
export function parseDuration(text: string, option: string, command: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/.exec(text.trim())
  if (match === null) throw usageError(`Invalid duration ${JSON.stringify(text)} for ${option}: use e.g. 30s, 10m, 12h, 7d or milliseconds`, command)
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms'])
}
