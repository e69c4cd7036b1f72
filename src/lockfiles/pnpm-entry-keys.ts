/**
 * The keys of one `packages`/`snapshots` section, in order, refusing a duplicate. pnpm writes
 * them sorted, so while each key sorts after the one before no set is needed; the first key out
 * of order builds one.
 */
export class EntryKeys {
  private set: Set<string> | null = null
  private last = ''
  private started = false

  constructor(readonly keys: string[]) {}

  /** Adds `key`; false when it is already there. */
  add(key: string): boolean {
    if (this.set !== null) {
      if (this.set.has(key)) return false
      this.set.add(key)
    } else if (this.started && key <= this.last) {
      this.set = new Set(this.keys)
      if (this.set.has(key)) return false
      this.set.add(key)
    }
    this.started = true
    this.last = key
    this.keys.push(key)
    return true
  }
}
