// A small seeded PRNG, so every run of the benchmark generates byte-identical inputs.

/** 32-bit FNV-1a of a string: turns a readable seed ('projects/17') into a PRNG state. */
export function hashSeed(text) {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/**
 * sfc32 seeded from a string. Returns helpers over one stream:
 * `next()` in [0, 1), `int(n)` in [0, n), `pick(array)`, `chance(p)`.
 */
export function createRng(seed) {
  let a = hashSeed(`a:${seed}`)
  let b = hashSeed(`b:${seed}`)
  let c = hashSeed(`c:${seed}`)
  let d = 1
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0
    const t = (a + b | 0) + d | 0
    d = d + 1 | 0
    a = b ^ b >>> 9
    b = c + (c << 3) | 0
    c = c << 21 | c >>> 11
    c = c + t | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (array) => array[Math.floor(next() * array.length)],
    chance: (p) => next() < p,
  }
}
