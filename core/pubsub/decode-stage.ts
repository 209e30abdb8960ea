// The last stage of a subscription before the consumer: take messages from
// the receive buffer in order, decode them with the topic's codec (fetching
// an unknown writer schema from the publisher first: the messages behind it
// wait, so order is kept), hand them to the consumer, and ack in automatic
// mode when the consumer is done with them. One message at a time: a
// consumer that returns a promise holds the next one back, which is what
// fills the buffer and, with the 'block' policy, pauses the socket.
import { isCodecError, sameId } from '../../codecs/index.js'
import type { ServiceRange, SocketAddress } from '../transport-contract/index.js'
import { ReceivedDelivery, type Delivery, type DeliverySettler } from './delivery.js'
import type { ChunkInfo } from './envelope-types.js'
import type { ReceiveBuffer } from './receive-buffer.js'
import type { SchemaFetcher } from './schema-fetch.js'
import type { TopicStats } from './stats.js'
import type { SubscriberAcks } from './subscriber-acks.js'
import type { ResolvedTopic } from './topic-config.js'

/** A message on its way up, before decoding. */
export interface InboundMessage {
  publisher: SocketAddress
  stream: bigint
  seq: number
  /** Every seq it was carried in (more than one for a chunked message): one ack covers them all. */
  seqs: number[]
  attempt: number
  timestamp: number
  key: Uint8Array | undefined
  codecId: Uint8Array
  payload: Uint8Array
  chunk: ChunkInfo | undefined
  /**
   * Whether this subscriber acks it ('none': fire and forget, or a copy that
   * did not name us). 'replayed': a replayed copy (replay-stream-merge.ts):
   * how it is settled is remembered, not sent, so a live copy of the same
   * seq that comes later is answered from it.
   */
  acker: 'ack' | 'none' | 'replayed'
  dest: ServiceRange | undefined
}

/** A message that could not be delivered as a value. */
export interface DeliveryFailure {
  bytes: Uint8Array
  reason: string
  publisher: SocketAddress
  cause?: unknown
}

/** Seqs of a publisher stream this subscription will not deliver. */
export interface Gap {
  publisher: SocketAddress
  stream: bigint
  from: number
  to: number
  reason: string
}

/** Where a subscription's output goes: the public face. */
export interface SubscriberSink {
  /** A delivery; a returned promise holds the next one back until it settles. */
  next(d: Delivery<unknown>): void | Promise<void>
  failure(f: DeliveryFailure): void
  gap(g: Gap): void
  error(err: Error): void
}

export class DecodeStage {
  private busy = false
  private closed = false

  constructor(
    private readonly topic: ResolvedTopic,
    /** Fetches unknown writer schemas (Avro topics only). */
    private readonly fetcher: SchemaFetcher | undefined,
    private readonly buffer: ReceiveBuffer<InboundMessage>,
    private readonly acks: SubscriberAcks,
    private readonly sink: SubscriberSink,
    private readonly stats: TopicStats,
    private readonly ackMode: 'auto' | 'manual',
    private readonly reopen: (m: InboundMessage) => void,
  ) {}

  close(): void {
    this.closed = true
  }

  /** Hand over what is buffered, one message at a time. */
  pump(): void {
    while (!this.busy && !this.closed && this.buffer.length > 0) {
      const m = this.buffer.shift()!
      const known = this.fetcher === undefined || sameId(m.codecId, this.topic.codec.id) ? 'known' : this.fetcher.resolve(m.codecId, m.publisher)
      if (known !== 'known') {
        this.busy = true
        known.then(() => this.resume(m), err => this.resume(m, err))
        return
      }
      this.hand(m)
    }
  }

  private resume(m: InboundMessage, fetchError?: unknown): void {
    this.busy = false
    if (this.closed) return
    if (fetchError !== undefined) this.fail(m, `writer schema unavailable: ${(fetchError as Error).message}`, fetchError)
    else this.hand(m)
    this.pump()
  }

  private hand(m: InboundMessage): void {
    let value: unknown
    try {
      value = this.topic.codec.decode(m.payload, m.codecId)
    } catch (err) {
      if (!isCodecError(err)) throw err
      this.fail(m, `${err.code}: ${err.message}`, err)
      return
    }
    const settler = m.acker === 'ack' ? this.settlerFor(m) : m.acker === 'replayed' ? this.recorderFor(m) : undefined
    const d = new ReceivedDelivery({
      value, keyBytes: m.key, topic: this.topic.name, publisher: m.publisher, stream: m.stream,
      sequence: m.seq, timestamp: m.timestamp, attempt: m.attempt,
    }, this.ackMode === 'manual' ? settler : undefined)
    this.stats.delivered++
    const done = this.sink.next(d)
    const autoAck = (): void => {
      if (this.ackMode === 'auto') settler?.ack()
    }
    if (done === undefined) {
      autoAck()
      return
    }
    this.busy = true
    done.then(autoAck, () => undefined).finally(() => {
      this.busy = false
      this.pump()
    })
  }

  /** A message that does not decode is settled as terminated, so the publisher learns why at once. */
  private fail(m: InboundMessage, reason: string, cause: unknown): void {
    this.stats.decodeFailures++
    this.sink.failure({ bytes: m.payload, reason, publisher: m.publisher, cause })
    if (m.acker === 'ack') for (const seq of m.seqs) this.acks.term(m.publisher, m.stream, seq, m.attempt, `does not decode: ${reason}`)
    if (m.acker === 'replayed') for (const seq of m.seqs) this.acks.recordTerm(m.stream, seq, `does not decode: ${reason}`)
  }

  /**
   * A replayed copy's settler: its publisher's receipt was settled long ago,
   * so nothing is sent; an ack or term is remembered for a live copy of it
   * that may come later. A nak or working has nothing to act on.
   */
  private recorderFor(m: InboundMessage): DeliverySettler {
    const { acks } = this
    return {
      ack: () => { for (const seq of m.seqs) acks.recordAck(m.stream, seq) },
      nak: () => undefined,
      working: () => undefined,
      term: reason => { for (const seq of m.seqs) acks.recordTerm(m.stream, seq, reason) },
    }
  }

  private settlerFor(m: InboundMessage): DeliverySettler {
    const { acks } = this
    return {
      ack: () => { for (const seq of m.seqs) acks.ack(m.publisher, m.stream, seq, m.attempt) },
      nak: delayMs => {
        this.reopen(m)
        for (const seq of m.seqs) acks.nak(m.publisher, m.stream, seq, m.attempt, delayMs)
      },
      working: () => { for (const seq of m.seqs) acks.working(m.publisher, m.stream, seq, m.attempt) },
      term: reason => { for (const seq of m.seqs) acks.term(m.publisher, m.stream, seq, m.attempt, reason) },
    }
  }
}
