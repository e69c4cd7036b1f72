/**
 * The archive chunk (dist/archive.cjs): export and import of scratch spaces as deterministic
 * `.tar.gz` files. Loaded lazily by `src/archive/api.ts`, which validates key and
 * owner and records the access; node-tar is bundled here and never into the runtime entry.
 */
export { exportSpace, type ExportResult } from './export'
export { importSpace, type ImportOptions } from './import'
