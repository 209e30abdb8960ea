// The endpoints of one node (RDM sockets, listeners, connections) by ref,
// and the one loop that hands what they hold to their handlers. An endpoint
// with something for its handler is woken; the flush hands each woken
// endpoint's queue over in batches, as the native binding reads until
// EAGAIN. When the flush runs is the carrier's (the `schedule` it passes):
// memory's virtual clock after each tick, a udp node at the end of the
// packet that woke it or on the next turn.
import type { SocketAddress } from '../../transport-contract/address.js'
import { rethrowLater } from './isolate.js'
import type { Keep } from './keep.js'

/** Bounds the batches one endpoint gets per flush, so a flood cannot starve the event loop. */
const MAX_BATCHES_PER_FLUSH = 1024

export interface Endpoint {
  readonly address: SocketAddress
  /** Something can be handed to a handler now. */
  ready(): boolean
  /** Hand at most `batchSize` items to the handler. */
  flush(batchSize: number): void
  /**
   * Messages queued since the last call and not handed over yet get data of
   * their own (`keep`): the carrier's borrowed memory is about to be reused.
   */
  keepQueued?(keep: Keep): void
}

export class Endpoints<E extends Endpoint> {
  private readonly byRef = new Map<number, E>()
  private readonly woken = new Set<E>()
  /**
   * With trackLent(): the endpoints woken or flushed at once since the last
   * keepQueued() (every arrival goes through one of the two), so that only
   * they are asked to keep what they queued, not every endpoint per batch.
   */
  private lent: Set<E> | undefined
  private readonly batchSize: number
  private readonly schedule: () => void

  /** `schedule`: make sure flush() runs soon (it may already be due). */
  constructor(batchSize: number, schedule: () => void) {
    this.batchSize = batchSize
    this.schedule = schedule
  }

  get(ref: number): E | undefined {
    return this.byRef.get(ref)
  }

  has(ref: number): boolean {
    return this.byRef.has(ref)
  }

  add(e: E): void {
    this.byRef.set(e.address.ref, e)
  }

  /** `e` leaves (another endpoint that took its ref since stays). */
  remove(e: E): void {
    if (this.byRef.get(e.address.ref) === e) this.byRef.delete(e.address.ref)
    this.woken.delete(e)
    this.lent?.delete(e)
  }

  /** The carrier lends what it delivers (udp borrowed receive): remember where it went, for keepQueued(). */
  trackLent(): void {
    this.lent ??= new Set()
  }

  /** Messages queued since the last call get data of their own (Endpoint.keepQueued), where any arrived (trackLent). */
  keepQueued(keep: Keep): void {
    const lent = this.lent
    if (lent === undefined || lent.size === 0) return
    for (const e of lent) e.keepQueued?.(keep)
    lent.clear()
  }

  /** Every endpoint, as a copy: callers close them as they go. */
  list(): E[] {
    return [...this.byRef.values()]
  }

  /** Forget every endpoint (the node is gone). */
  clear(): void {
    this.byRef.clear()
    this.woken.clear()
    this.lent?.clear()
  }

  wake(e: E): void {
    this.lent?.add(e)
    this.woken.add(e)
    this.schedule()
  }

  /** Something was woken and not flushed yet. */
  get pending(): boolean {
    return this.woken.size > 0
  }

  /** A woken endpoint can hand something over. */
  get hasWork(): boolean {
    for (const e of this.woken) if (e.ready()) return true
    return false
  }

  /**
   * Hand one batch over at once: a reader that keeps up gets full batches as
   * they fill, so a burst does not pile up to OVERLOAD. Only from a
   * carrier's callback (a packet, a tick), never from the application's own call.
   */
  flushNow(e: E): void {
    this.lent?.add(e)
    this.flushOne(e)
    if (e.ready()) this.wake(e)
  }

  /** The flush: each woken endpoint's queue, a batch at a time. */
  flush(): void {
    for (const e of [...this.woken]) {
      this.woken.delete(e)
      let rounds = 0
      while (e.ready() && rounds++ < MAX_BATCHES_PER_FLUSH) this.flushOne(e)
      if (e.ready()) this.wake(e)
    }
  }

  // One handler that throws must not keep the others from their messages.
  private flushOne(e: E): void {
    try {
      e.flush(this.batchSize)
    } catch (err) {
      rethrowLater(err)
    }
  }
}
