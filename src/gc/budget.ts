import { ScratchError } from '../errors'

/**
 * The store's size budget (docs/design.md, "The size budget"): `--max-size SIZE` or
 * `SCRATCHSPACE_MAX_SIZE`. This module owns how a size is written.
 */
export const MAX_SIZE_ENV = 'SCRATCHSPACE_MAX_SIZE'

const K = 1024
/**
 * Units, case-insensitive. `KB`/`MB`/`GB`/`TB` are decimal (powers of 1000, as disks are sold);
 * `KiB`/`MiB`/`GiB`/`TiB` and the one-letter `K`/`M`/`G`/`T` are binary (powers of 1024, as
 * `du -h`, `ls -h` and Docker write them). No unit, or `B`: bytes.
 */
const UNITS: Record<string, number> = {
  '': 1, b: 1,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  k: K, m: K ** 2, g: K ** 3, t: K ** 4,
  kib: K, mib: K ** 2, gib: K ** 3, tib: K ** 4,
}

const EXAMPLES = 'e.g. 500MiB, 5GiB, 1.5GB, 800M or a number of bytes'

/**
 * Parses a size (`500MiB`, `5GiB`, `1.5GB`, `800M`, `1048576`) into whole bytes. `source` names
 * where it came from (`--max-size`, `SCRATCHSPACE_MAX_SIZE`) for the error: anything else, or a
 * size of 0 (it would delete every space on every run), is `ERR_SCRATCH_USAGE`.
 */
export function parseSize(text: string, source: string): number {
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/i.exec(text.trim())
  const unit = match === null ? undefined : UNITS[match[2].toLowerCase()]
  const bytes = match === null || unit === undefined ? NaN : Math.floor(Number(match[1]) * unit)
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new ScratchError('ERR_SCRATCH_USAGE', `Invalid size ${JSON.stringify(text)} for ${source}: use ${EXAMPLES}`, {
      hint: bytes === 0
        ? 'A budget of 0 would delete every space on every run; to empty the store once, run scratch clear --all.'
        : 'KB, MB, GB, TB are powers of 1000; KiB, MiB, GiB, TiB (and K, M, G, T) powers of 1024.',
    })
  }
  return bytes
}

/** The budget set in the environment, in bytes; undefined when unset or empty. Throws like {@link parseSize}. */
export function budgetFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env[MAX_SIZE_ENV]
  return text === undefined || text.trim() === '' ? undefined : parseSize(text, MAX_SIZE_ENV)
}
