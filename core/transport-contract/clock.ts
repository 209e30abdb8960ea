// Time as a transport sees it. The topic layer's timers (ack deadlines,
// resends, hold and reassembly timeouts) all go through a Clock, so on the
// memory transport the network's virtual clock drives them and a seeded run
// replays exactly; on tipc and udp the wall clock does.

/** A timer set with Clock.setTimer. */
export interface Timer {
  /** Stop it; idempotent, and harmless after it fired. */
  cancel(): void
}

export interface Clock {
  /** Milliseconds, monotonic (virtual on the memory transport). */
  now(): number
  /** Run `fn` once after `ms` (>= 0) milliseconds of this clock. */
  setTimer(ms: number, fn: () => void): Timer
}
