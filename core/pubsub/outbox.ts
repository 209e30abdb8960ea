// Sends of one RDM socket, in the order they were asked for, through
// congestion. RdmSocket.send() takes a message or refuses it (false: the
// link is congested) and has no hidden buffer; the topic layer's bounded
// in-flight window is what bounds this queue, so it never grows past what
// the publishers admitted. A send that fails at once (NoRouteError: nothing
// bound there any more, or the node is gone) is handed to the item's own
// failure callback, never thrown into the caller of a later send.
import type { Destination, RdmSocket } from '../transport-contract/index.js'

export type SendFailure = (err: unknown) => void

interface Item {
  dest: Destination
  bytes: Uint8Array
  failed: SendFailure | undefined
  /** Told when the socket takes the item after it had to wait in the queue. */
  taken: (() => void) | undefined
}

export class Outbox {
  private readonly queue: Item[] = []
  private waiting = false
  private closed = false
  /** Times a send found the way congested (and waited for writable). */
  stalls = 0

  constructor(private readonly socket: RdmSocket) {}

  /** Queued sends not yet taken by the socket. */
  get length(): number {
    return this.queue.length
  }

  /**
   * Send now if the way is clear, else queue. `taken` is called if the item
   * had to queue, when the socket finally takes it (not when it fails).
   * Returns false when the item was queued (closed: dropped, true).
   */
  send(dest: Destination, bytes: Uint8Array, failed?: SendFailure, taken?: () => void): boolean {
    if (this.closed) return true
    const item = { dest, bytes, failed, taken }
    if (this.queue.length === 0 && !this.waiting && this.trySend(item) !== 'congested') return true
    this.queue.push(item)
    this.waitForRoom()
    return false
  }

  /** Drop what is queued (the socket is closing); failure callbacks are not called. */
  close(): void {
    this.closed = true
    this.queue.length = 0
  }

  /** Taken or failed (done with), or congested (the item stays to be retried). */
  private trySend(item: Item): 'taken' | 'failed' | 'congested' {
    try {
      return this.socket.send(item.dest, item.bytes) ? 'taken' : 'congested'
    } catch (err) {
      item.failed?.(err)
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
    while (this.queue.length > 0 && !this.closed) {
      const item = this.queue[0]!
      const result = this.trySend(item)
      if (result === 'congested') {
        this.waitForRoom()
        return
      }
      this.queue.shift()
      if (result === 'taken') item.taken?.()
    }
  }
}
