/**
 * The one reading of the package's on/off environment switches (`SCRATCHSPACE_TRACK_ACCESS`,
 * `SCRATCHSPACE_AUTO_GC`): unset means on; `0`, `false`, `no` or `off` (any case, surrounding
 * spaces ignored) mean off; anything else means on.
 */
export function switchOn(value: string | undefined): boolean {
  return value === undefined || !['0', 'false', 'no', 'off'].includes(value.trim().toLowerCase())
}

/** False when `SCRATCHSPACE_AUTO_GC` turns the automatic sweeps and upkeep off (registration stays). */
export function autoGcEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return switchOn(env.SCRATCHSPACE_AUTO_GC)
}
