// Virtual time for the memory network. Nothing is delivered synchronously
// (like a real socket, a send returns before anything arrives): events are
// queued with a due tick and run, in (due, order of scheduling) order, by a
// pump on setImmediate. Wall-clock time never decides an order, so the same
// program with the same seed sees the same interleaving every run.
import { isolate } from '../shared/isolate.js'

interface Scheduled {
  due: number
  seq: number
  run: () => void
}

export class Scheduler {
  /** Ticks elapsed; one tick = one pump. */
  clock = 0
  private queue: Scheduled[] = []
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
  after(ticks: number, run: () => void): void {
    this.at(this.clock + Math.max(1, ticks), run)
  }

  at(due: number, run: () => void): void {
    const item = { due: Math.max(due, this.clock + 1), seq: this.seq++, run }
    // Insert in order; appends are the common case (equal delays), so search from the end.
    let i = this.queue.length
    while (i > 0 && this.queue[i - 1]!.due > item.due) i--
    this.queue.splice(i, 0, item)
    this.wake()
  }

  /** Make sure a pump is coming (after a handler was set, or a socket resumed). */
  wake(): void {
    if (this.pumping) return
    this.pumping = true
    setImmediate(() => this.tick())
  }

  /** True when nothing is scheduled and nothing is ready to hand over. */
  get idle(): boolean {
    return this.queue.length === 0 && !this.hasWork()
  }

  /** Resolves once the network is idle: every message that can arrive has arrived and been handed over. */
  settle(): Promise<void> {
    if (this.idle && !this.pumping) return Promise.resolve()
    return new Promise(resolve => this.idleWaiters.push(resolve))
  }

  private tick(): void {
    this.clock++
    while (this.queue.length > 0 && this.queue[0]!.due <= this.clock) {
      const item = this.queue.shift()!
      isolate(item.run)
    }
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
}
