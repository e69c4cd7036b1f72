/**
 * pnpm-plugin-scratch runtime API: per-package scratch spaces. This entry loads none
 * of the gc, lockfile or CLI code, so importing it costs next to nothing.
 */
export { ScratchError, type ScratchErrorCode } from './errors'
export type { Owner } from './runtime/owner'
export { versionedKey } from './runtime/names'
export { withScratchDirectory } from './runtime/root'
export {
  getScratch, getGlobalScratch, deleteScratch, clearScratchspaces, scratchDir, scratchPath, type GetScratchOptions,
} from './runtime/spaces'
export { ensureScratch } from './runtime/ensure'
export { exportScratch, importScratch } from './archive/api'
