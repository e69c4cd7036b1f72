/**
 * The yarn plugin's hook (yarn berry 4). It is part of the gc bundle (`dist/gc.cjs`, exported as
 * `yarnHooks`); `scratch init` composes the plugin file yarn loads from that bundle and a small
 * loader (src/integration/yarn-plugin-file.ts) and lists it in `.yarnrc.yml`, the way
 * `yarn plugin import` does, so it loads on a fresh clone before anything is installed
 * (docs/design.md, "yarn berry").
 *
 * yarn calls `afterAllInstalled` after every `yarn install`, `add`, `remove` and `up`, also
 * `yarn workspace <member> remove`, once `yarn.lock` and the install state are written, with the
 * whole project. The hook registers the project with the names its lockfile lists now and
 * sweeps the spaces of packages it no longer uses. A hook that throws fails the yarn command,
 * so nothing here throws; it says at most one line, through yarn's report.
 */
import { scopedSweep } from '../src/gc'
import { autoGcEnabled, messageOf, PREFIX, summaryLine, warningLine } from './hook-lines'

/** The parts of yarn's `Project` and install options this plugin reads; all optional, versions differ. */
interface YarnProject { cwd?: unknown }
interface YarnReport {
  reportInfo?: (name: number | null, text: string) => void
  reportWarning?: (name: number, text: string) => void
}
interface InstallOptions { report?: YarnReport }

// yarn's MessageName.UNNAMED: a line with no YN code of its own.
const UNNAMED = 0

/**
 * A yarn `PortablePath` as a native path. yarn writes Windows paths as `/C:/x/y` (and UNC paths
 * as `/unc/server/share/…`); elsewhere portable and native paths are the same.
 */
export function nativePath(portable: string, platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'win32') return portable
  const drive = /^\/([A-Za-z]:)(\/.*)?$/.exec(portable)
  if (drive !== null) return `${drive[1]}${(drive[2] ?? '/').replace(/\//g, '\\')}`
  const unc = /^\/unc\/(.+)$/.exec(portable)
  if (unc !== null) return `\\\\${unc[1].replace(/\//g, '\\')}`
  return portable.replace(/\//g, '\\')
}

function say(report: YarnReport | undefined, line: string, warning: boolean): void {
  try {
    const method = warning ? report?.reportWarning : report?.reportInfo
    if (typeof method === 'function') method.call(report, UNNAMED, line)
    else process.stderr.write(`${line}\n`)
  } catch {
    // Nowhere left to report to; the install matters more.
  }
}

/** Registers the project and sweeps; never throws. Exported for tests. */
export function afterAllInstalled(project: YarnProject | undefined, opts?: InstallOptions): void {
  const report = opts?.report
  try {
    const cwd = project?.cwd
    if (typeof cwd !== 'string' || cwd === '') {
      say(report, `${PREFIX} warning: yarn gave no project directory; scratch spaces not swept`, true)
      return
    }
    // The names come from the yarn.lock yarn has just written (and the workspace manifests),
    // read by the same readers `scratch gc` uses, so both agree on what is installed.
    const result = scopedSweep({ projectDir: nativePath(cwd), source: 'hook', registerOnly: !autoGcEnabled() })
    const warning = warningLine(result)
    const summary = summaryLine(result)
    if (warning !== null) say(report, warning, true)
    else if (summary !== null) say(report, summary, false)
  } catch (err) {
    say(report, `${PREFIX} warning: scratch spaces not swept: ${messageOf(err)}`, true)
  }
}

/** The hooks the plugin file's `factory` hands yarn (it loads this bundle when the hook first runs). */
export const hooks = { afterAllInstalled }
