// One simulated process on virtual time: the Clock its links and peers run
// on (core/transports/udp/clock.ts) and an event loop shaped like Node's,
// because the link's decisions depend on that shape. A turn runs, in this
// order: the timers that are due, the poll phase (up to READS_PER_POLL
// datagrams from its socket, as libuv reads a UDP socket), then the
// callbacks deferred with nextTurn before the turn began; what each
// callback defers with afterCall runs as soon as it returns (microtasks).
//
// A paused process (SIGSTOP) runs nothing: its timers fall due and its
// socket fills (up to socketLimit datagrams; beyond, the datagram is lost,
// as a full receive buffer loses it). At resume, its next turn runs every
// overdue timer before it reads the first waiting datagram: the case the
// link's after-the-poll-phase decisions exist for.
import type { Clock, TimerHandle, TurnHandle } from '../../../core/transports/udp/clock.js'

/** The time every simulated process shares (ms). */
export class VirtualTime {
  now = 0
}

interface Timer {
  at: number
  order: number
  run: () => void
}

interface Turn {
  run: () => void
  cancelled: boolean
}

/** libuv reads at most 32 datagrams from a UDP socket per poll. */
const READS_PER_POLL = 32

export class VirtualProcess<P> implements Clock {
  /** Stopped (SIGSTOP): runs nothing until resumed. */
  paused = false
  /** Datagrams lost because the socket was full. */
  overflowed = 0
  private readonly time: VirtualTime
  private readonly socketLimit: number
  private readonly handle: (packet: P) => void
  /** Sorted by (at, order). */
  private timers: Timer[] = []
  private order = 0
  private turns: Turn[] = []
  private calls: Array<() => void> = []
  private socket: P[] = []
  private socketHead = 0

  constructor(time: VirtualTime, socketLimit: number, handle: (packet: P) => void) {
    this.time = time
    this.socketLimit = socketLimit
    this.handle = handle
  }

  // --- the Clock ---------------------------------------------------------------

  now(): number {
    return this.time.now
  }

  setTimer(run: () => void, ms: number): TimerHandle {
    // Node runs a timer of under 1 ms after 1 ms.
    const timer: Timer = { at: this.time.now + Math.max(1, ms), order: this.order++, run }
    let i = this.timers.length
    while (i > 0 && this.timers[i - 1]!.at > timer.at) i--
    this.timers.splice(i, 0, timer)
    return timer as unknown as TimerHandle
  }

  clearTimer(handle: TimerHandle): void {
    const i = this.timers.indexOf(handle as unknown as Timer)
    if (i >= 0) this.timers.splice(i, 1)
  }

  nextTurn(run: () => void): TurnHandle {
    const turn: Turn = { run, cancelled: false }
    this.turns.push(turn)
    return turn as unknown as TurnHandle
  }

  cancelTurn(handle: TurnHandle): void {
    (handle as unknown as Turn).cancelled = true
  }

  afterCall(run: () => void): void {
    this.calls.push(run)
  }

  // --- the process ----------------------------------------------------------------

  /** A datagram arrives in the socket (paused or not). */
  arrive(packet: P): void {
    if (this.socket.length - this.socketHead >= this.socketLimit) {
      this.overflowed++
      return
    }
    this.socket.push(packet)
  }

  /** Datagrams waiting in the socket. */
  get waiting(): number {
    return this.socket.length - this.socketHead
  }

  /** Whether a turn now would do something. */
  get ready(): boolean {
    if (this.paused) return false
    return this.turns.length > 0 || this.waiting > 0 || (this.timers.length > 0 && this.timers[0]!.at <= this.time.now)
  }

  /** When the next timer falls due (Infinity: none). */
  get nextTimerAt(): number {
    return this.timers.length > 0 ? this.timers[0]!.at : Infinity
  }

  /** One turn of the event loop. */
  turn(): void {
    const now = this.time.now
    while (this.timers.length > 0 && this.timers[0]!.at <= now && !this.paused) this.call(this.timers.shift()!.run)
    for (let reads = 0; reads < READS_PER_POLL && this.waiting > 0 && !this.paused; reads++) {
      const packet = this.socket[this.socketHead++]!
      this.handle(packet)
      this.drainCalls()
    }
    if (this.socketHead === this.socket.length) {
      this.socket = []
      this.socketHead = 0
    }
    const turns = this.turns
    this.turns = []
    for (const t of turns) if (!t.cancelled) this.call(t.run)
  }

  /** Run something in this process as an event of its own (the application's start, say). */
  call(run: () => void): void {
    run()
    this.drainCalls()
  }

  private drainCalls(): void {
    for (let i = 0; i < this.calls.length; i++) this.calls[i]!()
    this.calls.length = 0
  }
}
