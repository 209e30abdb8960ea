// What a socket holds for its application until the handler takes it: a FIFO
// of received items, the handler, and the pause flag. Both transports (RDM
// sockets and connection ends alike) hand over batches the same way; only
// what decides the batch size and when a flush runs is theirs: a new
// handler and a resume call `wake` (something may be ready to hand over).
import type { BatchHandler } from '../../transport-contract/message.js'

/** Compact the array once this many items were taken from its front. */
const COMPACT_AFTER = 4096

export class Inbox<T> {
  handler: BatchHandler | undefined
  paused = false
  /** Items taken from the front are skipped by index, not shifted: a long queue drains in O(n). */
  private items: T[] = []
  private head = 0
  /** Items pushed since the last fresh(). */
  private pushed = 0
  private readonly wake: () => void

  constructor(wake: () => void) {
    this.wake = wake
  }

  /** Hand items to `handler` from now on. */
  listen(handler: BatchHandler): void {
    this.handler = handler
    this.wake()
  }

  pause(): void {
    this.paused = true
  }

  resume(): void {
    this.paused = false
    this.wake()
  }

  get length(): number {
    return this.items.length - this.head
  }

  /** A handler is set, not paused, and something waits. (The owner adds its own "not closed".) */
  get deliverable(): boolean {
    return this.handler !== undefined && !this.paused && this.length > 0
  }

  push(item: T): void {
    this.items.push(item)
    this.pushed++
  }

  /**
   * The items pushed since the last call that are still queued, oldest
   * first (those taken meanwhile were the oldest: the queue is FIFO).
   */
  fresh(): T[] {
    const n = this.pushed
    this.pushed = 0
    return n === 0 ? [] : this.items.slice(Math.max(this.head, this.items.length - n))
  }

  peek(): T | undefined {
    return this.items[this.head]
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined
    const item = this.items[this.head++]
    this.compact()
    return item
  }

  /** Take up to `max` items from the front, stopping at the first one `keep` refuses. */
  take(max: number, keep?: (item: T) => boolean): T[] {
    const taken: T[] = []
    while (taken.length < max && this.head < this.items.length) {
      const item = this.items[this.head]!
      if (keep && !keep(item)) break
      taken.push(item)
      this.head++
    }
    this.compact()
    return taken
  }

  /** Empty the inbox; returns what was still in it. */
  clear(): T[] {
    const rest = this.head === 0 ? this.items : this.items.slice(this.head)
    this.items = []
    this.head = 0
    return rest
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = []
      this.head = 0
    } else if (this.head > COMPACT_AFTER) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
  }
}
