// What a subscriber is handed: the value and where it came from, and, in
// manual ack mode, the JetStream vocabulary to settle it. In automatic mode
// the subscription acks when the consumer is done with it (the handler
// returned, the loop body finished) and the methods do nothing.
import type { SocketAddress } from '../transport-contract/index.js'

/** How a delivery is settled with its publisher. */
export interface DeliverySettler {
  ack(): void
  nak(delayMs: number): void
  working(): void
  term(reason: string): void
}

export interface Delivery<T> {
  readonly value: T
  /** The key it was published with, as text (undefined for an unkeyed message, or a key that is not UTF-8: see keyBytes). */
  readonly key: string | undefined
  readonly keyBytes: Uint8Array | undefined
  readonly topic: string
  /** The publisher's socket. */
  readonly publisher: SocketAddress
  /** The publisher stream (one per publishing bus and topic). */
  readonly stream: bigint
  /** Its sequence number in that stream (the first chunk's for a chunked message). */
  readonly sequence: number
  /** When it was published (ms since the Unix epoch, the publisher's clock). */
  readonly timestamp: number
  /** 1 for the first delivery; more after a nak or a resend the subscriber had not acked. */
  readonly attempt: number
  /** Manual mode: processed; the publisher's receipt says acked. */
  ack(): void
  /** Manual mode: not processed; deliver it again after `delayMs` (attempt + 1). */
  nak(delayMs?: number): void
  /** Manual mode: still processing; the publisher extends its deadline. */
  working(): void
  /** Manual mode: never deliver it again; the publisher's receipt says terminated, with the reason. */
  term(reason?: string): void
}

const textDecoder = new TextDecoder('utf-8', { fatal: true })

function keyText(key: Uint8Array | undefined): string | undefined {
  if (key === undefined) return undefined
  try {
    return textDecoder.decode(key)
  } catch {
    return undefined
  }
}

/** What a delivery is made of: the Delivery without its derived text key and its methods. */
export type DeliveryFields<T> = Omit<Delivery<T>, 'key' | 'ack' | 'nak' | 'working' | 'term'>

export class ReceivedDelivery<T> implements Delivery<T> {
  readonly value: T
  readonly key: string | undefined
  readonly keyBytes: Uint8Array | undefined
  readonly topic: string
  readonly publisher: SocketAddress
  readonly stream: bigint
  readonly sequence: number
  readonly timestamp: number
  readonly attempt: number
  /** Settled once: a second ack/nak/term (or a late one after a nak) is ignored. */
  private settled = false

  constructor(fields: DeliveryFields<T>, private readonly settler: DeliverySettler | undefined) {
    this.value = fields.value
    this.keyBytes = fields.keyBytes
    this.key = keyText(fields.keyBytes)
    this.topic = fields.topic
    this.publisher = fields.publisher
    this.stream = fields.stream
    this.sequence = fields.sequence
    this.timestamp = fields.timestamp
    this.attempt = fields.attempt
  }

  ack(): void {
    if (this.settle()) this.settler!.ack()
  }

  nak(delayMs = 0): void {
    if (this.settle()) this.settler!.nak(delayMs)
  }

  working(): void {
    if (!this.settled && this.settler !== undefined) this.settler.working()
  }

  term(reason = 'terminated by the subscriber'): void {
    if (this.settle()) this.settler!.term(reason)
  }

  /** True the first time, in manual mode. */
  private settle(): boolean {
    if (this.settled || this.settler === undefined) return false
    this.settled = true
    return true
  }
}
