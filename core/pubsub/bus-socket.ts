// The bus's own RDM socket: every publisher of the bus sends from it, so it
// is where acks, naks, returned copies and schema requests come back. It is
// bound to nothing (a bound socket would be handed other sockets' returned
// multicast copies). Dispatch is by the envelope's publisher stream: a
// returned copy names the stream in its first bytes, which TIPC keeps (1024).
import type { MessageBatch, ReceivedMessage, RdmSocket, SocketAddress, Transport } from '../transport-contract/index.js'
import { decodeEnvelope } from './envelope-decode.js'
import type { Envelope, GapReason } from './envelope-types.js'
import { encodeEnvelope } from './envelope-encode.js'
import { Outbox } from './outbox.js'
import type { SchemaFetcher } from './schema-fetch.js'
import type { SchemaServer } from './schema-server.js'
import type { TopicPublisher } from './publisher.js'

export interface BusSocketCounters {
  /** Returned copies of a stream this bus does not (or no longer) publish. */
  foreignReturns: number
  /** Envelopes that did not check out. */
  badEnvelopes: number
  /** Acks and naks for a stream this bus does not publish. */
  unknownStream: number
  /** Envelopes of a kind this socket does not expect. */
  unexpected: number
}

export class BusSocket {
  readonly socket: RdmSocket
  readonly outbox: Outbox
  readonly counters: BusSocketCounters = { foreignReturns: 0, badEnvelopes: 0, unknownStream: 0, unexpected: 0 }
  private readonly publishers = new Map<bigint, TopicPublisher>()
  /** Schema fetchers of the bus's Avro topics, by topic hash: schema-responses come back to this socket. */
  readonly fetchers = new Map<bigint, SchemaFetcher>()

  constructor(transport: Transport, private readonly schemas: SchemaServer, onError: (err: Error) => void) {
    this.socket = transport.rdm()
    this.outbox = new Outbox(this.socket)
    this.socket.onMessages(batch => this.onBatch(batch), onError)
  }

  get address(): SocketAddress {
    return this.socket.address
  }

  add(p: TopicPublisher): void {
    this.publishers.set(p.stream, p)
  }

  /** Tell one subscriber socket that a message of a stream will not come (a control gap notice). */
  sendGap(to: SocketAddress, topicHash: bigint, stream: bigint, seq: number, prev: number, reason: GapReason): void {
    this.outbox.send(to, encodeEnvelope({ kind: 'control', op: 'gap', seq, prev, reason, topicHash, stream, timestamp: Date.now() }))
  }

  /** Ask a publisher's socket for the schema it wrote with (a subscriber met an unknown fingerprint). */
  requestSchema(publisher: SocketAddress, codecId: Uint8Array, topicHash: bigint): void {
    this.outbox.send(publisher, encodeEnvelope({ kind: 'control', op: 'schema-request', codecId, topicHash, stream: 0n, timestamp: Date.now() }))
  }

  close(): void {
    this.outbox.close()
    this.socket.close()
  }

  private onBatch(batch: MessageBatch): void {
    for (let i = 0; i < batch.length; i++) this.onMessage(batch.at(i))
  }

  private onMessage(m: ReceivedMessage): void {
    if (m.returned !== undefined) {
      const decoded = decodeEnvelope(m.returned.data, { truncatedPayload: true })
      const e = decoded.ok ? decoded.envelope : undefined
      const p = e === undefined ? undefined : this.publishers.get(e.stream)
      // A publisher's probe to a departed subscriber socket, back: that socket's acks are all read (departure-barrier.ts).
      if (p !== undefined && e?.kind === 'control' && e.op === 'probe') {
        if (!p.probeReturned(m.from)) this.counters.foreignReturns++
        return
      }
      if (e === undefined || p === undefined || (e.kind !== 'data' && e.kind !== 'chunk')) {
        this.counters.foreignReturns++
        return
      }
      p.returned(e.seq, m.from, m.dest, m.returned.code)
      return
    }
    const decoded = decodeEnvelope(m.data)
    if (!decoded.ok) {
      this.counters.badEnvelopes++
      return
    }
    this.dispatch(m.from, decoded.envelope, decoded.payload)
  }

  private dispatch(from: SocketAddress, e: Envelope, payload: Uint8Array): void {
    if (e.kind === 'ack' || e.kind === 'nack') {
      const p = this.publishers.get(e.stream)
      if (p === undefined) this.counters.unknownStream++
      else p.feedback(from, e)
    } else if (e.kind === 'control' && e.op === 'schema-request') {
      const schema = this.schemas.lookup(e.codecId)
      const response = encodeEnvelope(
        { kind: 'control', op: 'schema-response', codecId: e.codecId, found: schema !== undefined, topicHash: e.topicHash, stream: e.stream, timestamp: Date.now() },
        schema === undefined ? undefined : new TextEncoder().encode(schema),
      )
      this.outbox.send(from, response)
    } else if (e.kind === 'control' && e.op === 'schema-response') {
      const fetcher = this.fetchers.get(e.topicHash)
      if (fetcher === undefined || !fetcher.answer(from, e.codecId, e.found ? new TextDecoder().decode(payload) : undefined)) this.counters.unexpected++
    } else {
      this.counters.unexpected++
    }
  }
}
