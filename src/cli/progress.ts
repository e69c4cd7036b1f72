import type { Io } from './io'

/**
 * A one-line progress indicator on stderr, only when stderr is a terminal (plain output stays
 * line-oriented). Redraws at most every 100 ms; `done()` erases it.
 */
export function progress(io: Io, label: string): { update(done: number, total: number): void; done(): void } {
  if (!io.interactive) return { update() {}, done() {} }
  let last = 0
  let shown = false
  return {
    update(done, total) {
      const now = Date.now()
      if (now - last < 100 && done < total) return
      last = now
      shown = true
      io.stderr(`\r${label} ${done}/${total}`)
    },
    done() {
      if (shown) io.stderr('\r\u001b[2K')
    },
  }
}
