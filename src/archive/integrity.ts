import { ScratchError } from '../errors'

// Strongest first: an SRI string listing several algorithms is checked with the strongest one.
const ALGORITHMS = ['sha512', 'sha384', 'sha256'] as const
export type Algorithm = (typeof ALGORITHMS)[number]
const TOKEN = /^(sha512|sha384|sha256)-([A-Za-z0-9+/]+={0,2})(?:\?\S*)?$/

/** What an SRI string (https://www.w3.org/TR/SRI/) says the bytes must hash to. */
export interface ExpectedIntegrity {
  algorithm: Algorithm
  digests: Buffer[]
  text: string
}

/**
 * Parses an SRI string such as `sha512-<base64>` (several whitespace-separated hashes allowed;
 * the strongest algorithm present counts, and any of its digests may match). Throws
 * `ERR_SCRATCH_INTEGRITY` when it names no sha512/sha384/sha256 hash: an integrity that cannot
 * be checked must not pass as checked.
 */
export function parseIntegrity(text: string): ExpectedIntegrity {
  const found = new Map<Algorithm, Buffer[]>()
  for (const token of typeof text === 'string' ? text.trim().split(/\s+/) : []) {
    const match = TOKEN.exec(token)
    if (match === null) continue
    const algorithm = match[1] as Algorithm
    found.set(algorithm, [...(found.get(algorithm) ?? []), Buffer.from(match[2], 'base64')])
  }
  const algorithm = ALGORITHMS.find((name) => found.has(name))
  if (algorithm === undefined) {
    throw new ScratchError('ERR_SCRATCH_INTEGRITY', `Unusable integrity ${JSON.stringify(text)}`, {
      hint: 'Pass the integrity exportScratch returned, an SRI string such as sha512-<base64>.',
    })
  }
  return { algorithm, digests: found.get(algorithm) as Buffer[], text }
}

/** The SRI string of `digest`, computed with `algorithm`. */
export function toSri(algorithm: Algorithm, digest: Buffer): string {
  return `${algorithm}-${digest.toString('base64')}`
}

/** True when `digest` (computed with `expected.algorithm`) is one of the expected digests. */
export function integrityMatches(expected: ExpectedIntegrity, digest: Buffer): boolean {
  return expected.digests.some((candidate) => candidate.equals(digest))
}
