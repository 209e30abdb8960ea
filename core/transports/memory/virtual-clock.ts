// The memory network's virtual clock as the contract's Clock: what
// MemoryTransport.clock hands the topic layer, so its ack deadlines, resends
// and hold timeouts run on the same ticks as the network's packets and a
// seeded run replays exactly. One tick is one millisecond.
import { checkTimerDelay, type Clock, type Timer } from '../../transport-contract/clock.js'
import type { Scheduler } from './scheduler.js'

export class VirtualClock implements Clock {
  private readonly scheduler: Scheduler

  constructor(scheduler: Scheduler) {
    this.scheduler = scheduler
  }

  now(): number {
    return this.scheduler.clock
  }

  /** At tick now() + max(1, ceil(ms)): a timer never fires within its caller's stack. */
  setTimer(ms: number, fn: () => void): Timer {
    const run = this.scheduler.after(Math.ceil(checkTimerDelay(ms)), fn)
    return { cancel: () => this.scheduler.cancel(run) }
  }
}
