import { autoGcEnabled } from '../../runtime/env-switch'
import path from 'node:path'
import { isErrno, ScratchError } from '../../errors'
import { parseSize, recordLastSweep, runGc, scopedSweep, sweepRecord } from '../../gc'
import { JSON_OPTION, printJson, type Command } from '../command'
import { formatReport } from '../format'
import { parseDuration } from '../io'
import { progress } from '../progress'

export const gcCommand: Command = {
  name: 'gc',
  summary: 'Delete the scratch spaces of packages no longer installed in any known project.',
  usage: ['gc [--dry-run] [--grace D] [--max-age D] [--max-size SIZE] [--json]', 'gc --project DIR [--dry-run] [--max-size SIZE] [--json]'],
  options: { ...JSON_OPTION, 'dry-run': { type: 'boolean' }, grace: { type: 'string' }, 'max-age': { type: 'string' }, 'max-size': { type: 'string' }, project: { type: 'string' } },
  optionHelp: [
    '--dry-run        show what would be deleted and why; change nothing',
    '--grace D        keep orphaned spaces until they have been orphaned for D (e.g. 1h, 7d); default 0',
    '--max-age D      also delete live spaces not used for D',
    '--max-size SIZE  then, while the store is larger than SIZE, delete the least recently used',
    '                 spaces (never one used during the run); SIZE: 500MiB, 5GiB, 1.5GB, 800M',
    '                 or bytes (KB/MB/GB: 1000s; KiB/MiB/GiB and K/M/G: 1024s). Default:',
    '                 SCRATCHSPACE_MAX_SIZE; with --project, applied by a detached full gc',
    '--project DIR    only sweep what DIR stopped using (what npm runs after an uninstall); never fails',
    '--json           print the report as JSON',
  ],
  examples: ['scratch gc --dry-run', 'scratch gc --grace 1d', 'scratch gc --max-size 5GiB --dry-run', 'scratch gc --max-age 90d --json', 'scratch gc --project .'],
  arity: [0, 0],
  async run({ values, io }) {
    const graceMs = typeof values.grace === 'string' ? parseDuration(values.grace, '--grace', 'gc') : undefined
    const maxAgeMs = typeof values['max-age'] === 'string' ? parseDuration(values['max-age'], '--max-age', 'gc') : undefined
    // A bad size, from the flag or the environment, is a usage error before anything is touched.
    const maxSizeBytes = typeof values['max-size'] === 'string' ? parseSize(values['max-size'], '--max-size') : undefined
    const dryRun = values['dry-run'] === true
    const now = Date.now()
    if (typeof values.project === 'string') {
      // Runs inside `npm uninstall`: a failure here must never fail the package manager.
      // npm hides this output, so the outcome is also kept for `scratch status` (never throws).
      const projectDir = path.resolve(io.cwd, values.project)
      try {
        // SCRATCHSPACE_AUTO_GC=0 turns the automatic sweeps off, this one (what the npm script runs) included.
        const report = scopedSweep({ projectDir, dryRun, graceMs, maxSizeBytes, source: 'register', registerOnly: !autoGcEnabled() })
        for (const warning of report.warnings) io.stderr(`scratch: warning: ${warning}\n`)
        if (values.json === true) printJson(io, report)
        else if (report.spaces.length > 0) io.stdout(formatReport(report, { color: io.color, now, verb: 'gc', columns: io.columns }))
        if (!dryRun) recordLastSweep(sweepRecord(projectDir, report, [], now))
      } catch (err) {
        if (!(err instanceof ScratchError) && !isErrno(err)) throw err
        io.stderr(`scratch: warning: scoped gc skipped: ${err.message}\n`)
        if (!dryRun) recordLastSweep(sweepRecord(projectDir, null, [`scoped gc skipped: ${err.message}`], now))
      }
      return 0
    }
    const indicator = progress(io, 'scratch gc: judging spaces')
    // The table shows sizes only of what is deleted; --json keeps every size (list sizes all too).
    const report = await runGc({ dryRun, graceMs, maxAgeMs, maxSizeBytes, onProgress: indicator.update, sizeKept: values.json === true }).finally(indicator.done)
    for (const warning of report.warnings) io.stderr(`scratch: warning: ${warning}\n`)
    if (values.json === true) printJson(io, report)
    else io.stdout(formatReport(report, { color: io.color, now, verb: 'gc', columns: io.columns }))
    return report.spaces.some((space) => space.action === 'failed') ? 1 : 0
  },
}
