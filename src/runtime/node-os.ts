/**
 * `node:os`, loaded on first use. Node does not load it at startup, and loading it costs about
 * 0.25 ms, which the first `getScratch` of every process would pay, though only a store root
 * under the home directory and the gc's host tags need it (docs/design.md, "The first call").
 * In the ES module entry, `require` is its loader of Node builtins.
 */
export function nodeOs(): typeof import('node:os') {
  return require('node:os') as typeof import('node:os')
}
