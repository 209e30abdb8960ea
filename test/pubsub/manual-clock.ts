// A Clock the test moves by hand: nothing fires until advance(), and then
// every due timer fires in time order (ties in the order they were set),
// with now() at its due time, including timers set by the ones firing.
import type { Clock, Timer } from '../../core/transport-contract/index.js'

interface Entry { at: number; order: number; fn: () => void; live: boolean }

export class ManualClock implements Clock {
  #now: number
  #order = 0
  #live = 0
  // A binary min-heap on (at, order): tests arm tens of thousands of timers.
  readonly #heap: Entry[] = []

  constructor(start = 0) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  setTimer(ms: number, fn: () => void): Timer {
    if (!(ms >= 0)) throw new RangeError(`setTimer(${ms}): ms must be >= 0`)
    const entry: Entry = { at: this.#now + ms, order: this.#order++, fn, live: true }
    this.#push(entry)
    this.#live++
    return { cancel: () => { if (entry.live) { entry.live = false; this.#live-- } } }
  }

  /** Timers set and neither fired nor cancelled. */
  get pendingTimers(): number {
    return this.#live
  }

  /** Due time of the earliest live timer, if any. */
  nextAt(): number | undefined {
    this.#dropDead()
    return this.#heap[0]?.at
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  advance(ms: number): void {
    const end = this.#now + ms
    for (let next = this.nextAt(); next !== undefined && next <= end; next = this.nextAt()) {
      const entry = this.#pop()
      this.#now = Math.max(this.#now, entry.at)
      entry.live = false
      this.#live--
      entry.fn()
    }
    this.#now = end
  }

  /** Fires timers until none is left (at most `limit`, so a timer that re-arms forever fails the test). */
  runAll(limit = 1_000_000): void {
    for (let n = 0; n < limit; n++) {
      const next = this.nextAt()
      if (next === undefined) return
      this.advance(next - this.#now)
    }
    throw new Error(`runAll: still timers after ${limit} firings`)
  }

  #dropDead(): void {
    while (this.#heap.length > 0 && !this.#heap[0]!.live) this.#pop()
  }

  #less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order)
  }

  #push(entry: Entry): void {
    const h = this.#heap
    h.push(entry)
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1
      if (!this.#less(h[i]!, h[parent]!)) break
      ;[h[i], h[parent]] = [h[parent]!, h[i]!]
      i = parent
    }
  }

  #pop(): Entry {
    const h = this.#heap
    const top = h[0]!
    const last = h.pop()!
    if (h.length > 0) {
      h[0] = last
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1
        let m = i
        if (l < h.length && this.#less(h[l]!, h[m]!)) m = l
        if (r < h.length && this.#less(h[r]!, h[m]!)) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m]!, h[i]!]
        i = m
      }
    }
    return top
  }
}
