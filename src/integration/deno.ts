import fs from 'node:fs'
import path from 'node:path'

/**
 * Deno: nothing to wire. `deno add`, `deno remove` and `deno install` run no scripts of the
 * project, so a removal never triggers a sweep; `scratch gc` reads `deno.lock` like any other
 * lockfile and deletes the spaces of `npm:` packages no project lists any more.
 */

/** The command that sweeps from a Deno project, with no Node install needed. */
export const DENO_GC_COMMAND = 'deno run -A npm:pnpm-plugin-scratch gc'

/** The files that make a directory a Deno project (`deno.json`/`deno.jsonc` config, `deno.lock`). */
const DENO_PROJECT_FILES: readonly string[] = Object.freeze(['deno.json', 'deno.jsonc', 'deno.lock'])

/** The first Deno project file in `dir`, or null. */
export function denoProjectFile(dir: string): string | null {
  return DENO_PROJECT_FILES.find((file) => fs.existsSync(path.join(dir, file))) ?? null
}

/** What `scratch init` tells a Deno user; nothing is changed. */
export function denoNotes(): string[] {
  return [
    'Deno runs no script when a package is added or removed (`deno add`, `deno remove`, `deno install`), so nothing was wired: ' +
      'the scratch spaces of npm packages the project no longer uses stay until a gc runs.',
    `Run \`${DENO_GC_COMMAND}\` now and then: it reads deno.lock, and deletes only spaces that no project on this machine uses.`,
  ]
}
