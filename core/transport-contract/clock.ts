// Time as a transport sees it. The topic layer's timers (ack deadlines,
// resends, hold and reassembly timeouts) all go through a Clock, so on the
// memory transport the network's virtual clock drives them and a seeded run
// replays exactly; on tipc and udp the wall clock does.
import { InvalidArgumentError } from './errors.js'

/** A timer set with Clock.setTimer. */
export interface Timer {
  /** Stop it; idempotent, and harmless after it fired. */
  cancel(): void
}

/** Time as a transport sees it (Transport.clock): the wall clock, or the memory network's virtual one. */
export interface Clock {
  /** Milliseconds, monotonic (virtual on the memory transport). */
  now(): number
  /** Run `fn` once after `ms` (>= 0) milliseconds of this clock. */
  setTimer(ms: number, fn: () => void): Timer
}

/**
 * A timer's delay, checked: a finite number of milliseconds >= 0. Anything
 * else is a bug in the caller (setTimeout would fire an Infinity or NaN
 * delay at once; a virtual clock would jump to it), so it throws.
 */
export function checkTimerDelay(ms: number): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new InvalidArgumentError(`a timer's delay must be a finite number of milliseconds >= 0, got ${String(ms)}`)
  }
  return ms
}
