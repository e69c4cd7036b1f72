/**
 * Byte counts for people, shared by the CLI and the install hooks' one-line summaries (a leaf
 * module: the hooks may not import the CLI, docs/design.md, "Changing the code").
 */

/** Bytes for people, in binary units: `0 B`, `512 B`, `1.5 KiB`, `3.2 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++ }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`
}
