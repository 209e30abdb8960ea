// The receiving side of one subscription: its own RDM socket, bound to the
// topic's range (or a partition of it, or a queue group's name), and what a
// message meets on its way up: the envelope check, the per-publisher-stream
// ordering (stream-table.ts), chunk reassembly, the bounded receive buffer,
// then decoding (fetching an unknown writer schema first) and the consumer;
// acks go back to the publisher's socket when the consumer is done.
// Plain TypeScript: the subscription's public face makes the Observable.
import type { Clock, MessageBatch, ReceivedMessage, RdmSocket, ServiceRange, SocketAddress, Transport } from '../transport-contract/index.js'
import { decodeEnvelope } from './envelope-decode.js'
import { ReceiveBufferOverflowError } from './errors.js'
import type { ControlEnvelope, DataEnvelope } from './envelope-types.js'
import { Outbox } from './outbox.js'
import { ReceiveBuffer, type ReceiveBufferCounts } from './receive-buffer.js'
import { Reassembler, type ReassemblyFailureReport } from './reassembly.js'
import { ReplayMerge } from './replay-merge.js'
import { BEHIND } from './replay-stream-merge.js'
import { parseStreamKey, streamKey } from './stream-key.js'
import type { SchemaFetcher } from './schema-fetch.js'
import { StreamTable } from './stream-table.js'
import type { TopicStats } from './stats.js'
import { SubscriberAcks } from './subscriber-acks.js'
import type { ResolvedSubscribe } from './subscribe-options.js'
import type { ResolvedTopic } from './topic-config.js'
import { DecodeStage, type InboundMessage, type SubscriberSink } from './decode-stage.js'

/** A subscription's receive buffer, as TopicSubscription.bufferStats() shows it. */
export interface ReceiveBufferStats extends ReceiveBufferCounts {
  /** Deliveries it holds before it applies its policy. */
  size: number
  /** Deliveries waiting now. */
  waiting: number
  /** Whether the socket is paused now ('block'). */
  paused: boolean
}

export interface SubscriberContext {
  transport: Transport
  clock: Clock
  topic: ResolvedTopic
  options: ResolvedSubscribe
  stats: TopicStats
  fetcher: SchemaFetcher | undefined
  sink: SubscriberSink
}

export class TopicSubscriber {
  readonly socket: RdmSocket
  private readonly streams: StreamTable<InboundMessage>
  private readonly buffer: ReceiveBuffer<InboundMessage>
  private readonly reassembler: Reassembler
  private readonly acks: SubscriberAcks
  private readonly decode: DecodeStage
  /** subscribe({ from }): the replay of each publisher stream, merged into its live messages. */
  private readonly replay: ReplayMerge | undefined
  private closed = false

  constructor(private readonly ctx: SubscriberContext) {
    const { options, stats, clock } = ctx
    this.socket = ctx.transport.rdm()
    this.replay = this.newReplay()
    const outbox = new Outbox(this.socket)
    this.acks = new SubscriberAcks(ctx.topic.hash, outbox)
    this.reassembler = new Reassembler(clock, { maxMessageBytes: ctx.topic.maxMessageBytes }, {
      failed: report => this.chunksFailed(report),
    })
    this.buffer = new ReceiveBuffer<InboundMessage>(options.buffer, {
      pause: () => {
        this.socket.pause()
        this.replay?.pause()
      },
      resume: () => {
        this.socket.resume()
        this.replay?.resume()
      },
      dropped: (m, reason) => {
        stats.dropped[reason] = (stats.dropped[reason] ?? 0) + 1
        ctx.sink.gap({ publisher: m.publisher, stream: m.stream, from: m.seq, to: m.seq, reason: 'dropped' })
        // Never processed, and never will be: the publisher hears it now rather than at its deadline.
        if (m.acker === 'ack') for (const seq of m.seqs) this.acks.term(m.publisher, m.stream, seq, m.attempt, `dropped by the subscriber's receive buffer (${reason})`)
        if (m.acker === 'replayed') for (const seq of m.seqs) this.acks.recordTerm(m.stream, seq, `dropped by the subscriber's receive buffer (${reason})`)
      },
    })
    this.decode = new DecodeStage(ctx.topic, ctx.fetcher, this.buffer, this.acks, ctx.sink, stats, options.ack, m => {
      // A nak'd message is delivered again when its next attempt comes; a chunked one is assembled again.
      for (const seq of m.seqs) this.streams.find(m.publisher, m.stream)?.reopen(seq)
      if (m.seqs.length > 1) this.reassembler.reopen(streamKey(m.publisher, m.stream), m.seq)
    })
    this.streams = new StreamTable<InboundMessage>(clock, { maxHeld: options.maxHeld, holdTimeoutMs: options.holdTimeoutMs }, {
      deliver: (_publisher, _stream, m, _seq, attempt) => {
        const message = attempt === m.attempt ? m : { ...m, attempt }
        const verdict = this.replay === undefined ? 'pass' : this.replay.live(message)
        if (verdict === 'pass') this.arrived(message)
        // A live copy of a seq the replay delivered: answered as the replayed copy was settled (or, when
        // it was not yet, at the publisher's next resend, which the stream receiver then calls a duplicate).
        else if (verdict === 'duplicate' && message.acker === 'ack') this.acks.answerAgain(message.publisher, message.stream, message.seq, message.attempt)
        else if (verdict === 'behind') this.refuseBehind(message)
      },
      gap: (publisher, stream, from, to, reason) => {
        stats.gaps++
        ctx.sink.gap({ publisher, stream, from, to, reason })
        // Chunks in the gap never come: a message waiting for one fails now, not at the reassembly timeout.
        for (const report of this.reassembler.gapped(streamKey(publisher, stream), from, to)) this.chunksFailed(report)
      },
    })
  }

  private newReplay(): ReplayMerge | undefined {
    const { options, transport, topic, stats, sink } = this.ctx
    if (options.from === undefined) return undefined
    const { lower, upper } = options.range
    return new ReplayMerge({ transport, topic, from: options.from, lower, upper, maxBuffered: options.replayBuffer }, {
      deliver: m => this.arrived(m),
      refuse: (publisher, stream, seq, attempt, reason) => this.acks.term(publisher, stream, seq, attempt, reason),
      gap: (publisher, stream, from, to, reason) => {
        stats.gaps++
        sink.gap({ publisher, stream, from, to, reason })
      },
    })
  }

  /**
   * A live copy that came after its stream's replay had passed its seq
   * (late on the network, or before the position asked): delivering it would
   * break the stream's order, so it is not processed, and its publisher hears
   * so (a term) rather than waiting for an ack that will never come. Nothing
   * is lost unsaid: its seq is before the position asked, or in a gap the
   * replay reported ('retention').
   */
  private refuseBehind(m: InboundMessage): void {
    if (m.acker === 'ack') for (const seq of m.seqs) this.acks.term(m.publisher, m.stream, seq, m.attempt, BEHIND)
  }

  /** Bind and start reading. Throws what bind throws (a bad range). */
  start(): void {
    const { options } = this.ctx
    this.socket.onMessages(batch => this.onBatch(batch), err => this.ctx.sink.error(err))
    this.socket.bind(options.range, options.scope)
    if (options.directory !== undefined) this.socket.bind(options.directory, options.scope)
    // Bound first: every message published from here on comes live, so the replays end where live begins.
    this.replay?.start()
  }

  /** The receive buffer now: its size, what waits in it, and its counters (high water, pauses, drops). */
  get buffered(): ReceiveBufferStats {
    return { size: this.buffer.size, waiting: this.buffer.length, paused: this.buffer.paused, ...this.buffer.counts }
  }

  /** Set by the topic: told once when this subscriber closes. */
  onClose?: () => void

  /** Withdraw the bindings and close the socket: publishers see this subscriber leave. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.onClose?.()
    this.acks.close()
    this.replay?.close()
    this.socket.close()
    this.streams.close()
    this.reassembler.close()
    this.decode.close()
  }

  private onBatch(batch: MessageBatch): void {
    for (let i = 0; i < batch.length; i++) this.onMessage(batch.at(i))
  }

  private onMessage(m: ReceivedMessage): void {
    const { stats, sink, topic } = this.ctx
    if (m.returned !== undefined) {
      // Our acks to a publisher that is gone, or (kernel TIPC) another socket's multicast copy rejected on
      // another node and handed to us by name: neither is ours to act on.
      stats.foreignReturns++
      return
    }
    const decoded = decodeEnvelope(m.data)
    if (!decoded.ok) {
      stats.badEnvelopes++
      sink.failure({ bytes: m.data, reason: `bad envelope: ${decoded.reason}`, publisher: m.from })
      return
    }
    const e = decoded.envelope
    // A publisher asking the network whether anyone subscribes (any topic of this type): receiving it is the answer.
    // (A departure probe reaches a live socket only if it withdrew without closing: ignored too, its sender times out.)
    if (e.kind === 'control' && e.op === 'probe') return
    if (e.topicHash !== topic.hash) {
      stats.collisions++
      sink.failure({ bytes: m.data, reason: 'topic collision: the envelope names another topic of the same service type', publisher: m.from })
      // The other topic's publisher counted this socket as its subscriber (same service type): tell it at once.
      if ((e.kind === 'data' || e.kind === 'chunk') && e.ackRequested && this.names(e)) {
        this.acks.term(m.from, e.stream, e.seq, e.attempt, 'topic collision: this subscriber belongs to another topic of the same service type (give one topic a type of its own)')
      }
      return
    }
    if (e.kind === 'data' || e.kind === 'chunk') this.onData(m.from, e, decoded.payload, m.dest)
    else if (e.kind === 'control') this.onControl(m.from, e)
    else stats.unexpected++
  }

  private onData(from: SocketAddress, e: DataEnvelope, payload: Uint8Array, dest: ServiceRange | undefined): void {
    const me = this.socket.address
    const listed = e.receivers.find(r => r.node === me.node && r.ref === me.ref)
    // An anycast copy (to a queue group) names nobody and is acked by whoever gets it; a multicast
    // that names others but not us (the publisher did not know us yet) is delivered but not acked.
    const acker = !e.ackRequested ? 'none' : listed !== undefined || e.receivers.length === 0 ? 'ack' : 'none'
    const message: InboundMessage = {
      publisher: from, stream: e.stream, seq: e.seq, seqs: [e.seq], attempt: e.attempt, timestamp: e.timestamp,
      key: e.key, codecId: e.codecId, payload, chunk: e.chunk, acker, dest,
    }
    const receiver = this.streams.receiver(from, e.stream)
    const verdict = listed !== undefined
      ? receiver.offer(e.seq, listed.prev, e.attempt, message)
      : receiver.offerUnlisted(e.seq, e.attempt, message)
    if (verdict === 'duplicate') {
      this.ctx.stats.duplicates++
      if (acker === 'ack') this.acks.answerAgain(from, e.stream, e.seq, e.attempt)
    }
  }

  /** Whether a copy names this socket among its receivers, or nobody (an anycast to a queue group). */
  private names(e: DataEnvelope): boolean {
    const me = this.socket.address
    return e.receivers.length === 0 || e.receivers.some(r => r.node === me.node && r.ref === me.ref)
  }

  private onControl(from: SocketAddress, e: ControlEnvelope): void {
    if (e.op === 'gap') this.streams.receiver(from, e.stream).abandon(e.seq, e.prev, e.reason)
    else this.ctx.stats.unexpected++
  }

  /** A chunked message that will not be delivered, reported as a gap over the seqs of its chunks received. */
  private chunksFailed(report: ReassemblyFailureReport): void {
    this.ctx.stats.gaps++
    this.ctx.sink.gap({ ...parseStreamKey(report.streamKey), from: report.firstSeq, to: report.lastSeq, reason: `chunks: ${report.reason}` })
  }

  /** The stream receiver's output (chain order, or arrival order for unlisted copies and redeliveries): reassemble chunks, then queue for the consumer. */
  private arrived(m: InboundMessage): void {
    if (this.closed) return
    let whole = m
    if (m.chunk !== undefined) {
      const r = this.reassembler.add(streamKey(m.publisher, m.stream), m.seq, m.chunk, m.payload)
      if ('pending' in r || 'discarded' in r) return
      if ('failed' in r) {
        this.ctx.stats.gaps++
        this.ctx.sink.gap({ publisher: m.publisher, stream: m.stream, from: r.firstSeq, to: m.seq, reason: `chunks: ${r.failed}` })
        return
      }
      // A message's chunks are consecutive seqs of its stream (sent in one go): one ack covers them all.
      // The chunk that completed it need not be its last.
      const seqs = Array.from({ length: m.chunk.count }, (_, i) => r.firstSeq + i)
      whole = { ...m, seq: r.firstSeq, seqs, payload: r.done, chunk: undefined }
    }
    this.ctx.stats.received++
    try {
      this.buffer.push(whole)
    } catch (err) {
      if (!(err instanceof ReceiveBufferOverflowError)) throw err
      // The 'error' policy ends the subscription; thrown on, it would escape the socket's reader.
      this.close()
      this.ctx.sink.error(err)
      return
    }
    this.decode.pump()
  }
}
