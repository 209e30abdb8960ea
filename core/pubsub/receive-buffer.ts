// A subscription's receive buffer: deliveries waiting for the subscriber,
// bounded, with a policy for when the subscriber does not keep up.
//   block       (default) when full, pause the subscriber socket (the
//               publishers' copies then wait in the kernel and, beyond it, are
//               returned as OVERLOAD, which slows the publishers down); resume
//               when the buffer is back at half, so pause and resume do not
//               alternate at every message.
//   dropOldest  when full, drop the oldest waiting delivery to make room.
//   dropNewest  when full, drop the new delivery.
//   error       when full, refuse the delivery with ReceiveBufferOverflowError
//               (the subscription ends with it).
// Dropped deliveries go to the `dropped` hook, for the subscription to report
// as gaps ('dropped').
import { InvalidArgumentError } from '../../errors/index.js'
import { ReceiveBufferOverflowError } from './errors.js'

export type OverflowPolicy = 'block' | 'dropOldest' | 'dropNewest' | 'error'

export const DEFAULT_RECEIVE_BUFFER_SIZE = 1024

export interface ReceiveBufferOptions {
  /** Deliveries held at most (default 1024); under 'block', see push(). */
  size?: number
  /** What a full buffer does (default 'block'). */
  policy?: OverflowPolicy
}

export interface ReceiveBufferHooks<T> {
  /** 'block': the buffer is full; stop reading from the socket. */
  pause?(): void
  /** 'block': the buffer is back at half its size; read again. */
  resume?(): void
  /** A delivery dropped under 'dropOldest' or 'dropNewest'. */
  dropped?(item: T, policy: 'dropOldest' | 'dropNewest'): void
}

/** Counters, from the buffer's creation. */
export interface ReceiveBufferCounts {
  /** Deliveries queued. */
  pushed: number
  /** Deliveries taken by shift(). */
  shifted: number
  dropped: number
  /** Times the socket was paused. */
  pauses: number
  /** The most deliveries waiting at once. */
  highWater: number
}

/** Compact the queue's array once this many taken slots sit at its front. */
const COMPACT_AFTER = 1024

export class ReceiveBuffer<T> {
  readonly size: number
  readonly policy: OverflowPolicy
  /** Waiting deliveries are items[head..]; the slots before head were taken. */
  private items: T[] = []
  private head = 0
  private isPaused = false
  private readonly counters: ReceiveBufferCounts = { pushed: 0, shifted: 0, dropped: 0, pauses: 0, highWater: 0 }

  constructor(options: ReceiveBufferOptions = {}, private readonly hooks: ReceiveBufferHooks<T> = {}) {
    this.size = options.size ?? DEFAULT_RECEIVE_BUFFER_SIZE
    if (!Number.isInteger(this.size) || this.size < 1) {
      throw new InvalidArgumentError(`receive buffer size must be a positive integer, got ${String(options.size)}`)
    }
    this.policy = options.policy ?? 'block'
    if (!['block', 'dropOldest', 'dropNewest', 'error'].includes(this.policy)) {
      throw new InvalidArgumentError(`receive buffer policy must be 'block', 'dropOldest', 'dropNewest' or 'error', got ${String(this.policy)}`)
    }
  }

  /** Deliveries waiting. */
  get length(): number { return this.items.length - this.head }
  /** Whether the socket is paused ('block' only). */
  get paused(): boolean { return this.isPaused }
  get counts(): Readonly<ReceiveBufferCounts> { return { ...this.counters } }

  /**
   * Queue a delivery; false if it was dropped ('dropNewest'). Under 'error' a
   * full buffer throws ReceiveBufferOverflowError and queues nothing. Under
   * 'block' a delivery is always queued: copies the transport had already
   * read when the socket paused still arrive, so the buffer may exceed its
   * size by what one read hands over.
   */
  push(item: T): boolean {
    if (this.length >= this.size) {
      switch (this.policy) {
        case 'dropNewest':
          this.drop(item, 'dropNewest')
          return false
        case 'dropOldest':
          this.drop(this.take() as T, 'dropOldest')
          break
        case 'error':
          throw new ReceiveBufferOverflowError(this.size)
        case 'block':
          break
      }
    }
    this.items.push(item)
    this.counters.pushed++
    this.counters.highWater = Math.max(this.counters.highWater, this.length)
    if (this.policy === 'block' && !this.isPaused && this.length >= this.size) {
      this.isPaused = true
      this.counters.pauses++
      this.hooks.pause?.()
    }
    return true
  }

  /** The oldest waiting delivery, or undefined if none. */
  shift(): T | undefined {
    if (this.length === 0) return undefined
    const item = this.take()
    this.counters.shifted++
    if (this.isPaused && this.length <= Math.floor(this.size / 2)) {
      this.isPaused = false
      this.hooks.resume?.()
    }
    return item
  }

  /** Take every waiting delivery out (the subscription ends); pause state is left as it is. */
  clear(): T[] {
    const rest = this.items.slice(this.head)
    this.items = []
    this.head = 0
    return rest
  }

  private take(): T | undefined {
    const item = this.items[this.head]
    // Release the slot so a taken delivery is not kept alive by the array.
    this.items[this.head] = undefined as T
    this.head++
    if (this.head === this.items.length) {
      this.items = []
      this.head = 0
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return item
  }

  private drop(item: T, policy: 'dropOldest' | 'dropNewest'): void {
    this.counters.dropped++
    this.hooks.dropped?.(item, policy)
  }
}
