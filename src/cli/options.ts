import { parseArgs } from 'node:util'
import type { Command } from './command'
import { usageError } from './io'

/** Edit distance with transpositions (optimal string alignment), for the did-you-mean of an unknown option. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/** The closest known option to `given` (`--dryrun` → `--dry-run`), if one is close enough to be a typo. */
export function closestOption(given: string, known: string[]): string | null {
  const bare = given.replace(/^-+/, '').toLowerCase()
  let best: { name: string; d: number } | null = null
  for (const name of known) {
    const d = Math.min(distance(bare, name), distance(bare.replace(/-/g, ''), name.replace(/-/g, '')))
    if (best === null || d < best.d) best = { name, d }
  }
  return best !== null && best.d <= Math.max(1, Math.floor(best.name.length / 3)) ? `--${best.name}` : null
}

/**
 * Parses a command's arguments. Every problem is `ERR_SCRATCH_USAGE` in our own words, naming
 * the option (with a did-you-mean for a typo): Node's parser messages never reach the user.
 */
export function parseCommandArgs(command: Command, args: string[]): ReturnType<typeof parseArgs> {
  const options = command.options
  const known = Object.keys(options)
  const shorts = new Map(Object.entries(options).flatMap(([name, o]) => (o.short === undefined ? [] : [[o.short, name] as const])))
  for (const arg of args) {
    if (arg === '--') break
    if (!arg.startsWith('-') || arg === '-') continue
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0] : null
    const ok = name !== null ? known.includes(name) : [...arg.slice(1)].every((ch) => shorts.has(ch))
    if (!ok) {
      const suggestion = closestOption(arg.split('=')[0], known)
      throw usageError(`Unknown option ${arg.split('=')[0]} for 'scratch ${command.name}'${suggestion === null ? '' : `; did you mean ${suggestion}?`}`, command.name)
    }
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (err) {
    const code = (err as { code?: string }).code
    const option = /'(-{1,2}[\w-]+)/.exec((err as Error).message)?.[1]
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option !== undefined) {
      const takesValue = options[option.replace(/^-+/, '')]?.type === 'string' || [...shorts].some(([s, n]) => `-${s}` === option && options[n].type === 'string')
      throw usageError(takesValue ? `Option ${option} needs a value` : `Option ${option} takes no value`, command.name)
    }
    throw usageError(`Cannot read the arguments of 'scratch ${command.name}'`, command.name)
  }
}
