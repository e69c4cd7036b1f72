/**
 * The one bundle of the gc code (`dist/gc.cjs`): the gc API, the CLI and the pnpm and yarn
 * plugins' hooks. `dist/cli.cjs` and `dist/pnpm-hook.cjs` are one-line stubs that load it, and
 * the yarn plugin file `scratch init` writes embeds it, so the gc, lockfile and store code ships
 * once, not once per entry (see docs/design.md, "Package layout").
 */
export * from '../src/gc'
export { runCli } from '../src/cli/main'
export { hooks as pnpmHooks } from './pnpm-hook'
export { hooks as yarnHooks } from './yarn-plugin'
