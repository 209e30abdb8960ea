// A manual Clock for the chunking and schema-fetch tests: time moves only when
// a test calls advance(ms), which runs every timer that falls due on the way,
// in order of due time (timers set by a timer that fires are run too if they
// fall due before the end).
import type { Clock, Timer } from '../../core/transport-contract/index.js'

interface Entry { due: number; order: number; fn: () => void; cancelled: boolean }

export class ManualClock implements Clock {
  #now = 0
  #order = 0
  readonly #timers = new Set<Entry>()

  now(): number {
    return this.#now
  }

  setTimer(ms: number, fn: () => void): Timer {
    if (!(ms >= 0)) throw new Error(`setTimer: ms must be >= 0, got ${ms}`)
    const entry: Entry = { due: this.#now + ms, order: this.#order++, fn, cancelled: false }
    this.#timers.add(entry)
    return {
      cancel: () => {
        entry.cancelled = true
        this.#timers.delete(entry)
      },
    }
  }

  /** Timers set and neither fired nor cancelled. */
  get pending(): number {
    return this.#timers.size
  }

  /** Moves time forward by `ms`, running the timers due on the way. */
  advance(ms: number): void {
    const end = this.#now + ms
    for (;;) {
      let next: Entry | undefined
      for (const e of this.#timers) {
        if (e.due <= end && (!next || e.due < next.due || (e.due === next.due && e.order < next.order))) next = e
      }
      if (!next) break
      this.#timers.delete(next)
      this.#now = next.due
      next.fn()
    }
    this.#now = end
  }
}
