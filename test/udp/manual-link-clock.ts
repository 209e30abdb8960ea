// A link's clock for tests on virtual time: time moves only when the test
// says, due timers then run earliest first, and deferred calls (microtasks,
// the next turn) run when the test says or after each timer. Counts the
// timers set and cleared, so that a test can say how often a link arms
// them without timing anything. A clock the test never moves is a clock at
// a standstill: timers are set and never fire.
import type { Clock, TimerHandle, TurnHandle } from '../../core/transports/udp/clock.js'

interface Timer {
  at: number
  run: () => void
}

export class ManualLinkClock implements Clock {
  time = 0
  /** Timers set, and of those the ones of 1 ms or less (an ack timer's ackDelayMs; a retransmission wait is 3.75 ms or more). */
  set = 0
  setShort = 0
  cleared = 0
  private timers: Timer[] = []
  private deferred: Array<() => void> = []

  now(): number {
    return this.time
  }

  setTimer(run: () => void, ms: number): TimerHandle {
    this.set++
    if (ms <= 1) this.setShort++
    const timer = { at: this.time + Math.max(1, ms), run }
    this.timers.push(timer)
    return timer as unknown as TimerHandle
  }

  clearTimer(handle: TimerHandle): void {
    this.cleared++
    this.timers = this.timers.filter(x => x !== (handle as unknown as Timer))
  }

  nextTurn(run: () => void): TurnHandle {
    this.deferred.push(run)
    return {} as TurnHandle
  }

  cancelTurn(): void {}

  afterCall(run: () => void): void {
    this.deferred.push(run)
  }

  /** Timers armed and not yet fired or cleared. */
  get pending(): number {
    return this.timers.length
  }

  /** Deferred calls, in the order they were queued (and those they queue). */
  runDeferred(): void {
    while (this.deferred.length > 0) this.deferred.shift()!()
  }

  /** Move time on by `ms` (a fraction of a millisecond too), running what falls due. */
  step(ms: number): void {
    this.time += ms
    this.fireDue()
  }

  /** Move time on by `ms`, a millisecond at a time, running what falls due and then the deferred calls. */
  advance(ms: number): void {
    for (let i = 0; i < ms; i++) {
      this.step(1)
      this.runDeferred()
    }
  }

  private fireDue(): void {
    for (;;) {
      let due: Timer | undefined
      for (const x of this.timers) if (x.at <= this.time && (due === undefined || x.at < due.at)) due = x
      if (due === undefined) return
      this.timers = this.timers.filter(x => x !== due)
      due.run()
      this.runDeferred()
    }
  }
}
