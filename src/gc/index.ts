/** The gc room: full runs, the scoped sweep the hooks call, registration. Returns data only. */
export { runGc, type GcOptions } from './run'
export { scopedSweep, type ScopedSweepOptions } from './scoped'
export { registerProject } from './register'
export { importerNames } from './projects'
export type { GcReport, ProjectReport, SpaceReport } from './report'
export { clearSpaces, type ClearOptions, type ClearReport } from './clear'
export { readLastSweep, recordLastSweep, sweepRecord, type LastSweep } from './last-sweep'
export { compactStore } from './compact'
