// A publisher's bounded in-flight window: messages and bytes sent but not
// yet settled. A publish beyond it waits for room instead of buffering
// without bound, which is how a slow subscriber slows its publishers down.
// Inside the fixed window, a credit (AIMD, as TCP's congestion window) caps
// the messages in flight: it halves on each OVERLOAD return (a receive queue
// was full) and grows back by one per settled message.
import { checkU32, InvalidArgumentError } from '../transport-contract/index.js'
import { PublisherClosedError } from './errors.js'

export interface FlowWindowOptions {
  /** Messages in flight at most (>= 1). Default 1024. */
  maxMessages?: number
  /** Bytes in flight at most (>= 1). Default 16 MiB. */
  maxBytes?: number
}

export interface FlowWindowStats {
  /** Messages admitted and not yet released. */
  inFlight: number
  /** Their bytes. */
  inFlightBytes: number
  /** The current credit: messages that may be in flight, 1 .. maxMessages. */
  credit: number
  /** Publishes that could not be admitted at once (tryAcquire refused, or acquire queued). */
  stalls: number
  /** OVERLOAD returns reported (each one halved the credit). */
  overloads: number
  /** Callers waiting for room now. */
  waiting: number
}

interface Waiter {
  /** Bytes to take for the waiter when it is its turn; undefined: only tell it there is room. */
  bytes: number | undefined
  resolve(): void
  reject(error: unknown): void
}

export class FlowWindow {
  readonly maxMessages: number
  readonly maxBytes: number
  #inFlight = 0
  #inFlightBytes = 0
  #credit: number
  #stalls = 0
  #overloads = 0
  #waiters: Waiter[] = []
  #closed: PublisherClosedError | undefined

  constructor(options: FlowWindowOptions = {}) {
    this.maxMessages = checkPositive('maxMessages', options.maxMessages ?? 1024)
    this.maxBytes = checkPositive('maxBytes', options.maxBytes ?? 16 * 1024 * 1024)
    this.#credit = this.maxMessages
  }

  get stats(): FlowWindowStats {
    return {
      inFlight: this.#inFlight, inFlightBytes: this.#inFlightBytes, credit: this.#credit,
      stalls: this.#stalls, overloads: this.#overloads, waiting: this.#waiters.length,
    }
  }

  /**
   * Takes room for one message of `bytes` if there is room now and nobody is
   * waiting ahead (waiters are served first, in order). False when closed.
   */
  tryAcquire(bytes: number): boolean {
    checkBytes(bytes)
    if (this.#closed === undefined && this.#waiters.length === 0 && this.#fits(bytes)) {
      this.#take(bytes)
      return true
    }
    this.#stalls++
    return false
  }

  /**
   * Takes room for one message of `bytes`, waiting in line (FIFO) for it;
   * rejects with PublisherClosedError on close, or with the signal's reason
   * if `signal` aborts first (the room is then not taken).
   */
  acquire(bytes: number, signal?: AbortSignal): Promise<void> {
    return this.acquireOrWait(bytes, signal) ?? Promise.resolve()
  }

  /**
   * acquire() without a promise when the room is taken at once: undefined
   * then, or the promise of waiting in line. The publish hot path stays
   * synchronous with it.
   */
  acquireOrWait(bytes: number, signal?: AbortSignal): Promise<void> | undefined {
    if (this.tryAcquire(bytes)) return undefined
    return this.#wait(bytes, signal)
  }

  /**
   * Resolves when there is room for a message and it is this caller's turn
   * (FIFO, behind acquire's waiters); the room is not taken: call tryAcquire
   * then, and wait again if it says no (a large message may need more bytes
   * than were freed). Rejects with PublisherClosedError on close.
   */
  whenAvailable(signal?: AbortSignal): Promise<void> {
    return this.#wait(undefined, signal)
  }

  /** Gives back the room of one settled message of `bytes`, and grows the credit by one. */
  release(bytes: number): void {
    checkBytes(bytes)
    if (this.#inFlight === 0 || bytes > this.#inFlightBytes) {
      throw new InvalidArgumentError(`release(${bytes}) of more than is in flight (${this.#inFlight} messages, ${this.#inFlightBytes} bytes)`)
    }
    this.#inFlight--
    this.#inFlightBytes -= bytes
    this.#credit = Math.min(this.maxMessages, this.#credit + 1)
    this.#serve()
  }

  /** An OVERLOAD return: halve the credit (never below 1, so one message can always go). */
  onOverload(): void {
    this.#overloads++
    this.#credit = Math.max(1, Math.floor(this.#credit / 2))
  }

  /** Rejects every waiter and every later wait with PublisherClosedError; idempotent. */
  close(reason: string): void {
    if (this.#closed !== undefined) return
    this.#closed = new PublisherClosedError(reason)
    const waiters = this.#waiters
    this.#waiters = []
    for (const w of waiters) w.reject(this.#closed)
  }

  // A message larger than the byte window alone still goes when nothing else
  // is in flight: otherwise it could never be sent, and its publisher would
  // wait forever.
  #fits(bytes: number): boolean {
    if (this.#inFlight === 0) return true
    return this.#inFlight < this.#credit && this.#inFlightBytes + bytes <= this.maxBytes
  }

  #hasRoom(): boolean {
    return this.#inFlight < this.#credit && this.#inFlightBytes < this.maxBytes
  }

  #take(bytes: number): void {
    this.#inFlight++
    this.#inFlightBytes += bytes
  }

  // An abort rejects with the signal's reason, as Node's own APIs do: an
  // AbortError DOMException unless the aborter gave a reason of its own.
  #wait(bytes: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed)
    if (signal?.aborted) return Promise.reject(signal.reason as Error)
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#waiters.indexOf(waiter)
        // Always still in line: serving or closing removes this listener first.
        if (i >= 0) this.#waiters.splice(i, 1)
        reject(signal!.reason as Error)
        // The one who left may have been what kept the others in line.
        this.#serve()
      }
      const waiter: Waiter = {
        bytes,
        resolve: () => { signal?.removeEventListener('abort', onAbort); resolve() },
        reject: (e) => { signal?.removeEventListener('abort', onAbort); reject(e) },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiters.push(waiter)
      this.#serve()
    })
  }

  // Serves the line from its head while there is room for the head.
  #serve(): void {
    while (this.#waiters.length > 0) {
      const head = this.#waiters[0]!
      if (head.bytes === undefined) {
        if (!this.#hasRoom()) return
      } else {
        if (!this.#fits(head.bytes)) return
        this.#take(head.bytes)
      }
      this.#waiters.shift()
      head.resolve()
    }
  }
}

function checkPositive(name: string, n: number): number {
  if (checkU32(name, n) < 1) throw new InvalidArgumentError(`${name} must be >= 1, got ${n}`)
  return n
}

function checkBytes(bytes: number): void {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new InvalidArgumentError(`bytes must be an integer >= 0, got ${String(bytes)}`)
}
