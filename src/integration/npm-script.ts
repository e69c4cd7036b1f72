/**
 * The npm `"dependencies"` script `scratch init` writes, and the edits that add it to, upgrade it
 * in and remove it from an existing script (see docs/design.md, "The npm script").
 *
 * npm runs `"dependencies"` after every install and uninstall that changed node_modules, also
 * under `npm ci --omit=dev` and `NODE_ENV=production npm ci`, where a devDependency's bin is
 * absent, and after `npm uninstall pnpm-plugin-scratch`. A bare `scratch gc` fails those installs
 * (exit 127), so the script is a `node -e` one-liner that looks the package up and exits 0 when
 * it is not installed, and exits 0 whatever the gc does.
 *
 * The text is valid in both shells npm uses: POSIX `sh` and Windows `cmd`. The program is one
 * double-quoted word, and contains none of the characters either shell treats specially inside
 * double quotes (`"` `$` `` ` `` `\` `%` `!` `^`) — see `SHELL_SPECIAL`.
 */

/** The script text npm runs (contract of `scratch init`; the e2e tests run exactly this). */
export const NPM_GC_SCRIPT = 'node -e "var r=require,p;try{p=r.resolve(\'pnpm-plugin-scratch/package.json\')}catch(e){process.exit(0)}' +
  'process.on(\'exit\',function(){process.exitCode=0});process.argv=[\'node\',\'scratch\',\'gc\',\'--project\',\'.\'];' +
  'r(r(\'path\').join(p,\'..\',r(p).bin.scratch))"'

/** What revision 1 wrote: fails every install where the `scratch` bin is missing. Upgraded by init. */
export const LEGACY_GC_SCRIPT = 'scratch gc --project .'

/** Characters `sh` or `cmd` expand or escape inside a double-quoted word; the program uses none. */
export const SHELL_SPECIAL = /["$`\\%!^]/

const SEPARATOR = ' && '

/** Splits a script into its `&&`-chained commands (no shell parsing beyond that: what init wrote is plain). */
function commands(script: string): string[] {
  return script.split(SEPARATOR).map((part) => part.trim())
}

function isOurs(command: string): boolean {
  return command === NPM_GC_SCRIPT || command === LEGACY_GC_SCRIPT
}

/** What `chainScript` did: `added`, `upgraded` (the r1 text replaced), or `present` (already there). */
export type ChainOutcome = 'added' | 'upgraded' | 'present'

/**
 * The new value of a script so that it also runs the gc: `existing && <script>`, the old r1 text
 * replaced in place, or unchanged when the script is already there. Never drops what was there.
 */
export function chainScript(existing: unknown): { script: string; outcome: ChainOutcome } {
  if (typeof existing !== 'string' || existing.trim() === '') return { script: NPM_GC_SCRIPT, outcome: 'added' }
  const parts = commands(existing)
  // Ours, or a gc the user wrote themselves: left as it is.
  if (!parts.includes(LEGACY_GC_SCRIPT) && runsGc(existing)) return { script: existing, outcome: 'present' }
  if (parts.includes(LEGACY_GC_SCRIPT)) {
    const seen = new Set<string>()
    const next = parts.map((part) => (part === LEGACY_GC_SCRIPT ? NPM_GC_SCRIPT : part)).filter((part) => {
      if (part !== NPM_GC_SCRIPT) return true
      if (seen.has(part)) return false
      seen.add(part)
      return true
    })
    return { script: next.join(SEPARATOR), outcome: 'upgraded' }
  }
  return { script: `${existing}${SEPARATOR}${NPM_GC_SCRIPT}`, outcome: 'added' }
}

/**
 * The script without what init added (the current or the r1 text): `null` when nothing else is
 * left (the key goes), the same string when there was nothing of ours.
 */
export function unchainScript(existing: string): string | null {
  const parts = commands(existing)
  if (!parts.some(isOurs)) return existing
  const rest = parts.filter((part) => !isOurs(part))
  return rest.length === 0 ? null : rest.join(SEPARATOR)
}

/** Whether a script runs the scratch gc in any form (ours, the r1 text, or the user's own `scratch gc`). */
function runsGc(script: unknown): boolean {
  return typeof script === 'string' && (commands(script).some(isOurs) || /(^|[\s;&|(])(scratch|pnpm-plugin-scratch)\s+gc(\s|$)/.test(script))
}
