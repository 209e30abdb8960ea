// The time a udp node runs on: the current time, timers, the deferral to
// after the poll phase (setImmediate) and the one to after the current call
// (queueMicrotask). The links, their senders, batchers and retransmission
// timers and the peers take it from their config, so a test can run the
// whole link and peer state machine on virtual time (test/udp/sim/), where
// a pause, a reordering or a stale packet happens at the same virtual
// instant on every run. Node's MockTimers cannot serve: it does not mock
// performance.now().
//
// Performance: the real clock is one object shared by every link; a call
// through it is a method call through a field, with nothing allocated.

declare const handleKind: unique symbol
/** A timer set with setTimer (opaque). */
export type TimerHandle = { readonly [handleKind]: 'timer' }
/** A callback deferred with nextTurn (opaque). */
export type TurnHandle = { readonly [handleKind]: 'turn' }

export interface Clock {
  /** Milliseconds, monotonic (performance.now() for the real clock). */
  now(): number
  /** Run `run` after `ms`; the timer never keeps the process alive. */
  setTimer(run: () => void, ms: number): TimerHandle
  clearTimer(timer: TimerHandle): void
  /** Run `run` after the poll phase of this turn of the event loop has read what waits in the sockets (setImmediate). */
  nextTurn(run: () => void): TurnHandle
  cancelTurn(turn: TurnHandle): void
  /** Run `run` as soon as the current call returns (queueMicrotask). */
  afterCall(run: () => void): void
}

/** The event loop's own clock. */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(run, ms) {
    const timer = setTimeout(run, ms)
    timer.unref()
    return timer as unknown as TimerHandle
  },
  clearTimer(timer) {
    clearTimeout(timer as unknown as NodeJS.Timeout)
  },
  nextTurn: run => setImmediate(run) as unknown as TurnHandle,
  cancelTurn(turn) {
    clearImmediate(turn as unknown as NodeJS.Immediate)
  },
  afterCall: run => queueMicrotask(run),
}
