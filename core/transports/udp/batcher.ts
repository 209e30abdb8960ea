// The batching wait: messages queued on a link wait a moment so that more of
// them share a packet. Node has no microsecond timers: a wait under 1 ms
// means "at the end of this turn of the event loop" (setImmediate), so
// everything sent in one synchronous burst is packed together; 1 ms or more
// uses a timer. A full packet's worth does not wait (the link flushes it).
//
// An idle link (nothing in flight) does not wait for the next turn: the
// flush runs as a microtask, i.e. as soon as the code that sent returns,
// still packing everything that code sent. Performance: this is the
// request/response case; the setImmediate cost a whole event-loop turn (an
// extra epoll_wait) per message. A busy link keeps the turn-long wait, which
// packs more (Nagle's trade-off: the acks of what is in flight come soon).
import type { Clock, TimerHandle, TurnHandle } from './clock.js'

export class Batcher {
  private readonly delayUs: number
  private readonly clock: Clock
  private readonly flush: () => void
  private immediate: TurnHandle | undefined
  private timer: TimerHandle | undefined
  /** A microtask flush is queued (microtasks cannot be cancelled: run() checks this). */
  private micro = false

  constructor(delayUs: number, clock: Clock, flush: () => void) {
    this.delayUs = delayUs
    this.clock = clock
    this.flush = flush
  }

  get scheduled(): boolean {
    return this.micro || this.immediate !== undefined || this.timer !== undefined
  }

  /** A flush is due within this turn of the event loop (a microtask or setImmediate, not a timer). */
  get soon(): boolean {
    return this.micro || this.immediate !== undefined
  }

  /** Flush after the batching wait, unless a flush is already due; `idle`: nothing is in flight. */
  schedule(idle = false): void {
    if (this.scheduled) return
    if (this.delayUs < 1000) {
      if (idle) {
        this.micro = true
        this.clock.afterCall(this.runMicro)
      } else {
        this.immediate = this.clock.nextTurn(this.run)
      }
    } else {
      this.timer = this.clock.setTimer(this.run, Math.round(this.delayUs / 1000))
    }
  }

  cancel(): void {
    if (this.immediate) this.clock.cancelTurn(this.immediate)
    if (this.timer) this.clock.clearTimer(this.timer)
    this.immediate = undefined
    this.timer = undefined
    this.micro = false
  }

  private readonly runMicro = (): void => {
    if (this.micro) this.run()
  }

  private readonly run = (): void => {
    this.micro = false
    this.immediate = undefined
    this.timer = undefined
    this.flush()
  }
}
