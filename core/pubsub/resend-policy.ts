// When unacked copies are sent again, and when a publisher stops waiting.
// Backoff doubles from the first delay to a ceiling, each delay with jitter
// so that many publishers that lost copies at the same moment (a subscriber
// that stalled, a link that flapped) do not resend in lockstep.
import { InvalidArgumentError } from '../transport-contract/index.js'

export interface ResendOptions {
  /** Delay before the first resend of an unacked copy (ms, > 0). Default 200. */
  initialResendMs?: number
  /** Ceiling of the doubling delay (ms, >= initialResendMs). Default 2000. */
  maxResendMs?: number
  /** Each delay is scaled by a factor drawn from [1 - jitter, 1 + jitter] (in [0, 1)). Default 0.2. */
  jitter?: number
  /** A target that has not answered this long after the send times out (ms, > 0, finite). Default 5000. */
  timeoutMs?: number
}

export class ResendPolicy {
  static readonly DEFAULTS: Readonly<Required<ResendOptions>> = Object.freeze({
    initialResendMs: 200, maxResendMs: 2000, jitter: 0.2, timeoutMs: 5000,
  })

  readonly initialResendMs: number
  readonly maxResendMs: number
  readonly jitter: number
  readonly timeoutMs: number

  constructor(options: ResendOptions = {}) {
    const o = { ...ResendPolicy.DEFAULTS, ...options }
    this.initialResendMs = checkDelay('initialResendMs', o.initialResendMs)
    this.maxResendMs = checkDelay('maxResendMs', o.maxResendMs)
    if (this.maxResendMs < this.initialResendMs) {
      throw new InvalidArgumentError(`maxResendMs (${this.maxResendMs}) must be >= initialResendMs (${this.initialResendMs})`)
    }
    if (typeof o.jitter !== 'number' || !(o.jitter >= 0 && o.jitter < 1)) {
      throw new InvalidArgumentError(`jitter must be a number in [0, 1), got ${String(o.jitter)}`)
    }
    this.jitter = o.jitter
    this.timeoutMs = checkDelay('timeoutMs', o.timeoutMs)
  }

  /**
   * The wait before the next resend, after `resendsSoFar` resends since the
   * copy was (re)delivered: `first` (initialResendMs, or the round trip the
   * publisher learned from acks) doubled that many times, capped at
   * maxResendMs, then jittered with one draw of `random` (in [0, 1)).
   */
  nextDelay(resendsSoFar: number, random: () => number, first = this.initialResendMs): number {
    // Capping the exponent keeps 2 ** n finite however long a target is resent to.
    const base = Math.min(first * 2 ** Math.min(resendsSoFar, 52), this.maxResendMs)
    return base * (1 + this.jitter * (2 * random() - 1))
  }
}

/** A positive, finite number of milliseconds, or InvalidArgumentError naming the option. */
export function checkDelay(name: string, ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new InvalidArgumentError(`${name} must be a finite number of milliseconds > 0, got ${String(ms)}`)
  }
  return ms
}
