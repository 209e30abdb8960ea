// Virtual time for the memory network. Nothing is delivered synchronously
// (like a real socket, a send returns before anything arrives): events are
// queued with a due tick and run, in (due, order of scheduling) order, by a
// pump on setImmediate. Wall-clock time never decides an order, so the same
// program with the same seed sees the same interleaving every run.
//
// One tick is one millisecond of virtual time (the topic layer's timers run
// on it, through VirtualClock). A pump normally advances one tick; when
// nothing is ready to hand over it jumps straight to the next due item, since
// the ticks in between would do nothing: a 5-second ack deadline costs one
// pump, and the order of everything is what stepping tick by tick gives.
import { isolate } from '../shared/isolate.js'
import { DueQueue, type DueItem } from './due-queue.js'

/** Something scheduled, as its scheduler hands it back (to cancel it). */
export type ScheduledRun = DueItem

export class Scheduler {
  /** Ticks elapsed (virtual milliseconds). */
  clock = 0
  private readonly queue = new DueQueue()
  private seq = 0
  private pumping = false
  private idleWaiters: Array<() => void> = []
  /** Run after each tick's events: the network hands queued messages to handlers here. */
  private readonly afterTick: () => void
  /** Whether work remains outside the queue (messages waiting for a handler that is ready). */
  private readonly hasWork: () => boolean

  constructor(afterTick: () => void, hasWork: () => boolean) {
    this.afterTick = afterTick
    this.hasWork = hasWork
  }

  /** Run `run` at tick `clock + ticks` (ticks >= 1: never within the caller's own stack). */
  after(ticks: number, run: () => void): ScheduledRun {
    return this.at(this.clock + Math.max(1, ticks), run)
  }

  at(due: number, run: () => void): ScheduledRun {
    const item: DueItem = { due: Math.max(due, this.clock + 1), seq: this.seq++, run, cancelled: false, queued: false }
    this.queue.push(item)
    this.wake()
    return item
  }

  /** It will not run, nor keep settle() waiting (idempotent; harmless once it ran). */
  cancel(item: ScheduledRun): void {
    this.queue.cancel(item)
  }

  /** Make sure a pump is coming (after a handler was set, or a socket resumed). */
  wake(): void {
    if (this.pumping) return
    this.pumping = true
    setImmediate(() => this.tick())
  }

  /** True when nothing is scheduled and nothing is ready to hand over. */
  get idle(): boolean {
    return this.queue.size === 0 && !this.hasWork()
  }

  /**
   * Resolves once the network is idle: every message that can arrive has
   * arrived and been handed over, and every timer set (and not cancelled)
   * has fired.
   */
  settle(): Promise<void> {
    if (this.idle && !this.pumping) return Promise.resolve()
    return new Promise(resolve => this.idleWaiters.push(resolve))
  }

  private tick(): void {
    this.clock = this.nextTick()
    for (let item = this.queue.popDue(this.clock); item; item = this.queue.popDue(this.clock)) isolate(item.run)
    isolate(this.afterTick)
    this.pumping = false
    if (!this.idle) {
      this.wake()
      return
    }
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const w of waiters) w()
  }

  /** The next tick, or the next item's when nothing is ready before it (see the header). */
  private nextTick(): number {
    const next = this.clock + 1
    if (this.hasWork()) return next
    const due = this.queue.peekDue()
    return due !== undefined && due > next ? due : next
  }
}
