// Sends of one RDM socket, in the order they were asked for, through
// congestion. RdmSocket.send() takes a message or refuses it (false: the
// link is congested) and has no hidden buffer; the topic layer's bounded
// in-flight window is what bounds this queue (ack 'none' included: see
// afterQueued), so it never grows past what the publishers admitted. A send
// that fails at once (NoRouteError: nothing bound there any more, or the node
// is gone) is handed to the item's own failure callback, never thrown into
// the caller of a later send.
import type { Destination, RdmSocket } from '../transport-contract/index.js'
import { ownedEnvelope } from './envelope-slab.js'

/** A send failed; `context` is what the send was given (see Outbox.send). */
export type SendFailure<C = undefined> = (err: unknown, context: C) => void

interface Item {
  dest: Destination
  bytes: Uint8Array
  failed: SendFailure<unknown> | undefined
  /** Told when the socket takes the item after it had to wait in the queue. */
  taken: ((context: unknown) => void) | undefined
  /** Handed to failed and taken. */
  context: unknown
  /** Told once this item has left the queue (taken or failed): see afterQueued(). */
  left?: Array<() => void>
}

export class Outbox {
  /**
   * Waiting sends from `head` on. Taken ones are cleared and skipped, not
   * shift()ed: shift() copies the whole array once it is large (V8 cannot
   * trim an array in large-object space), which made draining a long queue
   * quadratic.
   */
  private queue: Array<Item | undefined> = []
  private head = 0
  private waiting = false
  private closed = false
  /** Times a send found the way congested (and waited for writable). */
  stalls = 0

  constructor(private readonly socket: RdmSocket) {}

  /** Queued sends not yet taken by the socket. */
  get length(): number {
    return this.queue.length - this.head
  }

  /**
   * Send now if the way is clear, else queue. `taken` is called if the item
   * had to queue, when the socket finally takes it (not when it fails).
   * Returns false when the item was queued (closed: dropped, true).
   * `context` is handed to `failed` and `taken`: a sender of many items
   * passes the same two functions with each item's context instead of two
   * new closures per item.
   */
  send<C = undefined>(dest: Destination, bytes: Uint8Array, failed?: SendFailure<C>, taken?: (context: C) => void, context?: C): boolean {
    if (this.closed) return true
    // The way is clear (nearly always): no queue item unless the socket refuses the send.
    if (this.length === 0 && !this.waiting && this.trySend(dest, bytes, failed as SendFailure<unknown> | undefined, context) !== 'congested') return true
    // Kept past this call: bytes of its own, if they were a borrowed envelope's (envelope-slab.ts).
    const item: Item = { dest, bytes: ownedEnvelope(bytes), failed: failed as SendFailure<unknown> | undefined, taken: taken as ((context: unknown) => void) | undefined, context }
    this.queue.push(item)
    this.waitForRoom()
    return false
  }

  /**
   * Run `fn` once everything queued so far has left the queue (taken by the
   * socket, or failed): at once when nothing is queued. What has no receipt to
   * wait for (ack 'none') holds its room in the window until then, so the
   * window bounds this queue for it too.
   */
  afterQueued(fn: () => void): void {
    const last = this.length === 0 ? undefined : this.queue.at(-1)
    if (last === undefined) fn()
    else (last.left ??= []).push(fn)
  }

  /** Drop what is queued (the socket is closing); failure callbacks are not called. */
  close(): void {
    this.closed = true
    this.queue = []
    this.head = 0
  }

  /** Taken or failed (done with), or congested (the item stays to be retried). */
  private trySend(dest: Destination, bytes: Uint8Array, failed: SendFailure<unknown> | undefined, context: unknown): 'taken' | 'failed' | 'congested' {
    try {
      return this.socket.send(dest, bytes) ? 'taken' : 'congested'
    } catch (err) {
      failed?.(err, context)
      return 'failed'
    }
  }

  private waitForRoom(): void {
    if (this.waiting || this.closed) return
    this.waiting = true
    this.stalls++
    this.socket.writable().then(() => {
      this.waiting = false
      this.flush()
    }, () => {
      // The socket closed: nothing queued can go any more.
      this.waiting = false
      this.close()
    })
  }

  private flush(): void {
    while (this.head < this.queue.length && !this.closed) {
      const item = this.queue[this.head]!
      const result = this.trySend(item.dest, item.bytes, item.failed, item.context)
      if (result === 'congested') {
        // Congested again: drop the taken prefix once it is most of the array, then wait.
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head)
          this.head = 0
        }
        this.waitForRoom()
        return
      }
      this.queue[this.head++] = undefined
      if (result === 'taken') item.taken?.(item.context)
      for (const fn of item.left ?? []) fn()
    }
    if (!this.closed) {
      this.queue = []
      this.head = 0
    }
  }
}
