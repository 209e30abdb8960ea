// When a link resends: the retransmission timeout from measured round
// trips (Jacobson/Karels: smoothed RTT and its variance, sampled only from
// packets sent once, as Karn says), clamped to [minRtoMs, maxRtoMs],
// doubled per expiry up to 64x, with ±25% jitter (drawn anew at each
// expiry, so that links that time out together do not resend together;
// between expiries the factor stays, see progress). The deadline is one RTO
// after the last progress; when it passes, the sender resends what the
// acks do not cover (LinkSender.expired: the first expiry after progress
// resends only the oldest packet, a later one up to 32) and the timer
// backs off.
import type { Clock, TimerHandle } from './clock.js'
import type { LinkConfig } from './link-config.js'

/** The side whose packets the timer guards. */
export interface Retransmitter {
  /** Nothing to guard: the link is closed, or everything sent was acked. */
  idle(): boolean
  /** The deadline passed: resend the packets older than `age` ms (at least the oldest); `first`: the first expiry since the last progress. */
  expired(now: number, age: number, first: boolean): void
}

export class RetransmitTimer {
  private readonly config: LinkConfig
  private readonly clock: Clock
  private readonly random: () => number
  private readonly target: Retransmitter
  private srttMs = 0
  private rttvar = 0
  private backoff = 1
  /** The jitter factor in [0.75, 1.25): drawn at the start and at each expiry. */
  private jitter: number
  // The deadline and the timer are kept apart (see arm).
  private timer: TimerHandle | undefined
  /** When the timer fires (clock ms). */
  private timerAt = 0
  /** A deadline is set: the oldest unacked packet is due at `due`. */
  private armed = false
  private due = 0
  /** The expiry waits for the poll phase (onTimeout). */
  private checking = false

  constructor(config: LinkConfig, clock: Clock, random: () => number, target: Retransmitter) {
    this.config = config
    this.clock = clock
    this.random = random
    this.target = target
    this.jitter = 0.75 + 0.5 * random()
  }

  /** The smoothed round trip, ms (0 before the first sample). */
  get srtt(): number {
    return this.srttMs
  }

  /** A round trip measured on a packet sent once. */
  sample(rtt: number): void {
    if (this.srttMs === 0) {
      this.srttMs = rtt
      this.rttvar = rtt / 2
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srttMs - rtt)
      this.srttMs = 0.875 * this.srttMs + 0.125 * rtt
    }
  }

  /**
   * An ack made progress: no backoff, and what is still unacked gets a full
   * RTO from now. The jitter factor is kept: with a new one per ack, a
   * deadline drawn shorter than the last fell before the running timer,
   * which was then cleared and set again (on a request/response link, for
   * about one round trip in thirteen); with the factor kept, the deadline
   * only moves later while the RTO holds, and the timer waits the rest.
   */
  progress(now: number): void {
    this.backoff = 1
    this.armed = false
    this.arm(now)
  }

  /**
   * Set the deadline (one RTO from now) unless one is set. Performance: the
   * deadline moves with every ack, but the timer does not: a timer that
   * fires before the deadline just waits the rest. Arming and clearing a
   * setTimeout for every packet (every ack, on a request/response link) cost
   * more than the rest of the link's work.
   */
  arm(now: number): void {
    if (this.armed || this.target.idle()) return
    this.armed = true
    this.due = now + this.rto()
    this.timerFor(now)
  }

  close(): void {
    if (this.timer) this.clock.clearTimer(this.timer)
  }

  private rto(): number {
    const base = this.srttMs === 0 ? this.config.minRtoMs * 4 : this.srttMs + 4 * this.rttvar
    const rto = Math.min(this.config.maxRtoMs, Math.max(this.config.minRtoMs, base) * this.backoff)
    return rto * this.jitter
  }

  /**
   * A timer that fires by `due`, on the loop's millisecond clock: one
   * running that fires no later than a new one would is kept (it re-arms
   * for the rest). Performance: compared with `due` itself, a timer set
   * 0.9 ms past its deadline by the rounding looked late to the next
   * deadline a round trip later, and was cleared and set again per round
   * trip on a request/response link.
   */
  private timerFor(now: number): void {
    const wait = Math.max(1, Math.ceil(this.due - now))
    if (this.timer) {
      if (this.timerAt <= now + wait) return
      this.clock.clearTimer(this.timer)
    }
    this.timerAt = now + wait
    this.timer = this.clock.setTimer(this.onTimeout, wait)
  }

  private readonly onTimeout = (): void => {
    this.timer = undefined
    if (this.passed() === undefined) return
    // Not yet: timers run before the poll phase, so after a long turn of our
    // own (a sender filling its window) the acks that would have cancelled
    // this may be waiting in the socket. Decide after the poll phase has
    // read them (setImmediate). Performance: on loopback every RTO expiry in
    // the throughput benchmark was this (its retransmits all arrived as
    // duplicates), each resending up to 32 packets of 64 KB.
    if (!this.checking) {
      this.checking = true
      this.clock.nextTurn(this.onExpiry)
    }
  }

  private readonly onExpiry = (): void => {
    this.checking = false
    const now = this.passed()
    if (now === undefined) return
    this.armed = false
    this.target.expired(now, Math.max(this.config.minRtoMs, this.srttMs), this.backoff === 1)
    this.backoff = Math.min(this.backoff * 2, 64)
    this.jitter = 0.75 + 0.5 * this.random()
    this.arm(now)
  }

  /** The time now if the deadline has passed; otherwise the timer waits the rest (or stands down) and undefined. */
  private passed(): number | undefined {
    if (!this.armed || this.target.idle()) {
      this.armed = false
      return undefined
    }
    const now = this.clock.now()
    // Timers run on the loop's millisecond clock: up to 1 ms early is due.
    if (now < this.due - 1) {
      this.timerFor(now)
      return undefined
    }
    return now
  }
}
