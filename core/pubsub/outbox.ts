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

  send(dest: Destination, bytes: Uint8Array, failed?: SendFailure): void {
    if (this.closed) return
    if (this.length === 0 && !this.waiting && this.trySend({ dest, bytes, failed })) return
    this.queue.push({ dest, bytes, failed })
    this.waitForRoom()
  }

  /** Drop what is queued (the socket is closing); failure callbacks are not called. */
  close(): void {
    this.closed = true
    this.queue = []
    this.head = 0
  }

  /** True when taken or failed; false when congested (the item stays to be retried). */
  private trySend(item: Item): boolean {
    try {
      return this.socket.send(item.dest, item.bytes)
    } catch (err) {
      item.failed?.(err)
      return true
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
      if (!this.trySend(this.queue[this.head]!)) {
        // Congested again: drop the taken prefix once it is most of the array, then wait.
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head)
          this.head = 0
        }
        this.waitForRoom()
        return
      }
      this.queue[this.head++] = undefined
    }
    if (!this.closed) {
      this.queue = []
      this.head = 0
    }
  }
}
