/**
 * Seeded line mutations of a lockfile's text, the same for a given seed: each round deletes,
 * repeats or swaps a line, shifts its indent, or puts a YAML token inside it or before its first
 * character. Not inside a flow collection: the scanner checks those (in values it skips) only for
 * balance and quotes, which the YAML parser may still refuse (see src/lockfiles/pnpm-scan.ts).
 */
export function* lineMutations(text: string, rounds: number, seed = 7): Generator<string> {
  const lines = text.split('\n').slice(0, -1)
  const tokens = ["'", '"', '#', ' #x', '&a ', '*a', '!', '|', '>', '{', '}', '[', '\t', ' ', ': ', '- ', '---', '...', '? ', '@', '(', 'é']
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n
  }
  for (let round = 0; round < rounds; round++) {
    const out = [...lines]
    const n = random(out.length)
    switch (random(6)) {
      case 0: out.splice(n, 1); break
      case 1: out.splice(n, 0, out[n]); break
      case 2: [out[n], out[(n + 1) % out.length]] = [out[(n + 1) % out.length], out[n]]; break
      case 3: out[n] = random(2) === 0 ? ` ${out[n]}` : out[n].replace(/^ {1,2}/, ''); break
      case 4: {
        const flow = out[n].search(/[{[]/)
        const at = random((flow === -1 ? out[n].length : flow) + 1)
        out[n] = out[n].slice(0, at) + tokens[random(tokens.length)] + out[n].slice(at)
        break
      }
      default: out[n] = out[n].replace(/^( *)(\S)/, `$1${tokens[random(tokens.length)]}$2`)
    }
    yield `${out.join('\n')}\n`
  }
}
