// A Clock whose time moves only when a test says so: advance(ms) runs the
// timers that fall due, in due order (ties in the order they were set), each
// seeing now() at its own due time.
import type { Clock, Timer } from '../../core/transport-contract/index.js'

interface Pending { at: number; order: number; fn: () => void; cancelled: boolean }

export class ManualClock implements Clock {
  private time = 0
  private order = 0
  private pending: Pending[] = []

  now(): number { return this.time }

  setTimer(ms: number, fn: () => void): Timer {
    const entry: Pending = { at: this.time + ms, order: this.order++, fn, cancelled: false }
    this.pending.push(entry)
    return { cancel: () => { entry.cancelled = true } }
  }

  /** Timers set and neither fired nor cancelled. */
  get timerCount(): number { return this.pending.filter(p => !p.cancelled).length }

  /** Move time forward by `ms`, firing due timers (including ones they set) on the way. */
  advance(ms: number): void {
    const end = this.time + ms
    for (;;) {
      this.pending = this.pending.filter(p => !p.cancelled)
      const due = this.pending.filter(p => p.at <= end).sort((a, b) => a.at - b.at || a.order - b.order)[0]
      if (due === undefined) break
      this.pending.splice(this.pending.indexOf(due), 1)
      this.time = Math.max(this.time, due.at)
      due.fn()
    }
    this.time = end
  }
}
