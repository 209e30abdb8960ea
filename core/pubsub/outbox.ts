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
  /** Told once this item has left the queue (taken or failed): see afterQueued(). */
  left?: Array<() => void>
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

  send(dest: Destination, bytes: Uint8Array, failed?: SendFailure): void {
    if (this.closed) return
    if (this.queue.length === 0 && !this.waiting && this.trySend({ dest, bytes, failed })) return
    this.queue.push({ dest, bytes, failed })
    this.waitForRoom()
  }

  /**
   * Run `fn` once everything queued so far has left the queue (taken by the
   * socket, or failed): at once when nothing is queued. What has no receipt to
   * wait for (ack 'none') holds its room in the window until then, so the
   * window bounds this queue for it too.
   */
  afterQueued(fn: () => void): void {
    const last = this.queue.at(-1)
    if (last === undefined) fn()
    else (last.left ??= []).push(fn)
  }

  /** Drop what is queued (the socket is closing); failure callbacks are not called. */
  close(): void {
    this.closed = true
    this.queue.length = 0
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
    while (this.queue.length > 0 && !this.closed) {
      if (!this.trySend(this.queue[0]!)) {
        this.waitForRoom()
        return
      }
      for (const fn of this.queue.shift()!.left ?? []) fn()
    }
  }
}
