// The promises of whenSubscribed(n): each resolves once n subscriber sockets
// are known, or rejects on its timeout (on the presence's clock, so virtual
// on the memory transport), on its AbortSignal (with the signal's reason, as
// fetch and timers/promises do), or when the presence closes.
import { InvalidArgumentError, checkTimerDelay, type Clock, type Timer } from '../transport-contract/index.js'
import { PresenceClosedError, PresenceTimeoutError } from './errors.js'

export interface WhenSubscribedOptions {
  /** Give up after this many ms of the clock with PresenceTimeoutError (default: wait as long as it takes). */
  timeoutMs?: number
  /** Give up when it aborts, rejecting with its reason. */
  signal?: AbortSignal
}

interface Waiter {
  expected: number
  resolve(): void
  reject(err: unknown): void
}

export class SubscribedWaiters {
  private readonly waiters = new Set<Waiter>()
  private readonly clock: Clock
  /** Subscriber sockets known now. */
  private readonly known: () => number

  constructor(clock: Clock, known: () => number) {
    this.clock = clock
    this.known = known
  }

  wait(expected: number, options: WhenSubscribedOptions = {}): Promise<void> {
    if (!Number.isSafeInteger(expected) || expected < 0) {
      throw new InvalidArgumentError(`the number of subscribers to wait for must be an integer >= 0, got ${String(expected)}`)
    }
    const { timeoutMs, signal } = options
    if (timeoutMs !== undefined) checkTimerDelay(timeoutMs)
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    if (this.known() >= expected) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      let timer: Timer | undefined
      const onAbort = (): void => settle(() => reject(abortReason(signal!)))
      const settle = (how: () => void): void => {
        this.waiters.delete(waiter)
        timer?.cancel()
        signal?.removeEventListener('abort', onAbort)
        how()
      }
      const waiter: Waiter = {
        expected,
        resolve: () => settle(resolve),
        reject: err => settle(() => reject(err)),
      }
      this.waiters.add(waiter)
      if (timeoutMs !== undefined) {
        timer = this.clock.setTimer(timeoutMs, () => waiter.reject(new PresenceTimeoutError(expected, this.known(), timeoutMs)))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** The count went up: resolve the waiters it satisfies. */
  check(): void {
    const known = this.known()
    for (const w of this.waiters) if (known >= w.expected) w.resolve()
  }

  /** Reject every waiter with PresenceClosedError. */
  close(): void {
    for (const w of this.waiters) w.reject(new PresenceClosedError())
  }
}

/** The signal's reason, as it is (an AbortError DOMException unless abort() was given one): what aborting promises reject with. */
function abortReason(signal: AbortSignal): Error {
  return signal.reason as Error
}
