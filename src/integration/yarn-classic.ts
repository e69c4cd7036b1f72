/**
 * yarn classic (1.x): nothing to wire. It has no plugin system, and `yarn remove` runs no root
 * script (only `yarn install` and `yarn add` run `postinstall`), so a removal can never trigger
 * a sweep. `scratch init` says so and names the command that does the sweep by hand.
 */

/** The command that sweeps a yarn 1 project by hand. */
export const YARN_CLASSIC_GC_COMMAND = 'npx pnpm-plugin-scratch gc'

/** What `scratch init` tells a yarn 1 user; nothing is changed. */
export function yarnClassicNotes(): string[] {
  return [
    'yarn 1 has no plugins and runs no script when a package is removed (`yarn remove`), so nothing was wired: ' +
      'the scratch spaces of removed packages stay until a gc runs.',
    `Run \`${YARN_CLASSIC_GC_COMMAND}\` now and then (or \`yarn scratch gc\` while pnpm-plugin-scratch is a dependency): ` +
      'it deletes only spaces that no project on this machine uses. yarn 2+ (berry) gets an automatic sweep from scratch init.',
  ]
}
