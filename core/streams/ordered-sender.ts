// Sending on a connection in order, at the pace of its flow-control window.
// The contract's send() refuses (returns false) when the window is full and
// writable() says when to try again; a program that calls send() again
// before the first is taken must not overtake it. So a send goes straight
// out only when nothing waits, else it joins a FIFO that one loop drains as
// the window opens. The FIFO is bounded (maxWaitingSends): a program that
// does not await its sends is told, it does not fill memory.
import type { SeqpacketConnection } from '../transport-contract/index.js'
import { StreamSendQueueFullError } from './errors.js'

interface WaitingSend {
  bytes: Uint8Array
  resolve: () => void
  reject: (err: unknown) => void
}

export interface SendCounters {
  /** Messages the transport took. */
  sent: number
  /** Sends that found the window full and waited. */
  windowWaits: number
}

export class OrderedSender {
  private readonly waiting: WaitingSend[] = []
  private draining = false

  constructor(
    private readonly connection: SeqpacketConnection,
    private readonly maxWaiting: number,
    private readonly counters: SendCounters,
  ) {}

  /** Resolves when the transport took the message; rejects with the contract's error once the connection ended. */
  send(bytes: Uint8Array): Promise<void> {
    if (this.waiting.length === 0) {
      try {
        if (this.connection.send(bytes)) {
          this.counters.sent++
          return Promise.resolve()
        }
      } catch (err) {
        return Promise.reject(err)
      }
    } else if (this.waiting.length >= this.maxWaiting) {
      return Promise.reject(new StreamSendQueueFullError(this.maxWaiting))
    }
    this.counters.windowWaits++
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ bytes, resolve, reject })
      if (!this.draining) void this.drain()
    })
  }

  /** Sends waiting for the window now. */
  get waitingCount(): number {
    return this.waiting.length
  }

  private async drain(): Promise<void> {
    this.draining = true
    try {
      while (this.waiting.length > 0) {
        try {
          await this.connection.writable()
        } catch (err) {
          // The connection ended: nothing waiting will ever go out; each is told why.
          for (const w of this.waiting.splice(0)) w.reject(err)
          return
        }
        const head = this.waiting[0]!
        try {
          if (!this.connection.send(head.bytes)) continue
          this.counters.sent++
          this.waiting.shift()
          head.resolve()
        } catch (err) {
          this.waiting.shift()
          head.reject(err)
        }
      }
    } finally {
      this.draining = false
    }
  }
}
