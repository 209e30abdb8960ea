// A subscriber socket's stream receivers, one per (publisher socket, stream
// id), created at a stream's first copy. Bounded: beyond maxStreams the least
// recently used stream is evicted. An evicted stream that speaks again gets a
// fresh receiver that starts its chain at that next copy (startAnywhere): it
// forgot the chain's head, so waiting for a prev would only stall it until
// the hold timeout. What that costs: a copy of the evicted stream that was
// overtaken by the next one is then behind the new head and dropped, and a
// duplicate older than the eviction is not recognised as one.
import { InvalidArgumentError } from '../../errors/index.js'
import type { Clock, SocketAddress } from '../transport-contract/index.js'
import { streamKey } from './stream-key.js'
import { StreamReceiver, type StreamReceiverOptions } from './stream-receiver.js'

export const DEFAULT_MAX_STREAMS = 4096

export interface StreamTableOptions extends Omit<StreamReceiverOptions, 'startAnywhere'> {
  /** Stream receivers kept at most (default 4096); one more evicts the least recently used. */
  maxStreams?: number
}

/** The StreamReceiver hooks, told which stream they concern. */
export interface StreamTableHooks<M, R extends string> {
  deliver(publisher: SocketAddress, stream: bigint, message: M, seq: number, attempt: number): void
  gap(publisher: SocketAddress, stream: bigint, from: number, to: number, reason: R | 'lost'): void
}

export class StreamTable<M, R extends string = string> {
  /** Receivers by key, least recently used first (a use moves a receiver to the end). */
  private readonly receivers = new Map<string, StreamReceiver<M, R>>()
  /** Keys of evicted streams, oldest first, as many as maxStreams. */
  private readonly evicted = new Set<string>()
  private readonly maxStreams: number
  private evictions = 0
  // The receiver used last, by its stream: it is the most recently used
  // already, so the next copy of the same stream (the usual case: a burst)
  // needs no key string (a BigInt formatted) and no re-ordering.
  private lastNode = -1
  private lastRef = -1
  private lastStream = -1n
  private lastReceiver: StreamReceiver<M, R> | undefined

  constructor(
    private readonly clock: Clock,
    private readonly options: StreamTableOptions,
    private readonly hooks: StreamTableHooks<M, R>,
  ) {
    this.maxStreams = options.maxStreams ?? DEFAULT_MAX_STREAMS
    if (!Number.isInteger(this.maxStreams) || this.maxStreams < 1) {
      throw new InvalidArgumentError(`maxStreams must be a positive integer, got ${String(options.maxStreams)}`)
    }
  }

  /** Stream receivers kept now. */
  get size(): number { return this.receivers.size }
  /** Streams evicted so far. */
  get evictionCount(): number { return this.evictions }

  /** The receiver of (publisher, stream), created if new; it becomes the most recently used. */
  receiver(publisher: SocketAddress, stream: bigint): StreamReceiver<M, R> {
    if (this.lastReceiver !== undefined && this.lastStream === stream && this.lastNode === publisher.node && this.lastRef === publisher.ref) {
      return this.lastReceiver
    }
    const key = streamKey(publisher, stream)
    let receiver = this.receivers.get(key)
    if (receiver !== undefined) {
      this.receivers.delete(key)
      this.receivers.set(key, receiver)
    } else {
      receiver = this.create(publisher, stream, this.evicted.delete(key))
      this.receivers.set(key, receiver)
      if (this.receivers.size > this.maxStreams) this.evictLeastRecentlyUsed()
    }
    this.lastNode = publisher.node
    this.lastRef = publisher.ref
    this.lastStream = stream
    this.lastReceiver = receiver
    return receiver
  }

  /** The receiver of (publisher, stream) if there is one; not counted as a use. */
  find(publisher: SocketAddress, stream: bigint): StreamReceiver<M, R> | undefined {
    return this.receivers.get(streamKey(publisher, stream))
  }

  /**
   * The publisher's socket is gone (its binding withdrawn, its node down): its
   * holes will never close, so each of its streams delivers what it holds
   * (the holes reported as 'lost' gaps) and is dropped. A later stream from
   * the same address starts from nothing. Returns how many streams it had.
   */
  forgetPublisher(publisher: SocketAddress): number {
    const prefix = publisherPrefix(publisher)
    this.lastReceiver = undefined
    let forgotten = 0
    for (const [key, receiver] of this.receivers) {
      if (!key.startsWith(prefix)) continue
      this.receivers.delete(key)
      receiver.flushHeld()
      receiver.close()
      forgotten++
    }
    for (const key of this.evicted) {
      if (key.startsWith(prefix)) this.evicted.delete(key)
    }
    return forgotten
  }

  /** Close every receiver (what they hold is dropped) and forget them. */
  close(): void {
    for (const receiver of this.receivers.values()) receiver.close()
    this.lastReceiver = undefined
    this.receivers.clear()
    this.evicted.clear()
  }

  private create(publisher: SocketAddress, stream: bigint, startAnywhere: boolean): StreamReceiver<M, R> {
    const from: SocketAddress = { node: publisher.node, ref: publisher.ref }
    return new StreamReceiver<M, R>(this.clock, { ...this.options, startAnywhere }, {
      deliver: (message, seq, attempt) => this.hooks.deliver(from, stream, message, seq, attempt),
      gap: (first, last, reason) => this.hooks.gap(from, stream, first, last, reason),
    })
  }

  /** The least recently used stream delivers what it holds (holes as 'lost' gaps), then goes. */
  private evictLeastRecentlyUsed(): void {
    const [key, receiver] = this.receivers.entries().next().value as [string, StreamReceiver<M, R>]
    this.receivers.delete(key)
    if (receiver === this.lastReceiver) this.lastReceiver = undefined
    receiver.flushHeld()
    receiver.close()
    this.evictions++
    this.evicted.add(key)
    if (this.evicted.size > this.maxStreams) this.evicted.delete(this.evicted.values().next().value as string)
  }
}

function publisherPrefix(publisher: SocketAddress): string {
  return `${publisher.node}:${publisher.ref}:`
}
