// A subscription's replay (subscribe({ from })): every publisher stream of
// the topic that existed before the subscription is replayed from the
// position asked, over SEQPACKET to that stream's replay service, and merged
// into its live messages (replay-stream-merge.ts).
//
// Which streams: those whose replay service the topology service reports
// (retaining publishers, idle ones included), and those whose first live
// message shows they started before this subscription (a seq past the
// position asked) — the latter also covers a publisher that retains nothing
// (its connect finds no replay service: the messages before the first live
// one are reported as a 'retention' gap). A stream whose first live message
// is at the position (a publisher that started after the subscription)
// needs no replay and is live from the start. Streams are known by their
// node and the low 32 bits of their id, which is what a replay service's
// binding says (topic-name.ts replayInstance).
import { NoRouteError, type ServiceAddress, type SocketAddress, type TopologySubscription, type Transport } from '../transport-contract/index.js'
import type { InboundMessage } from './decode-stage.js'
import { ReplayClient } from './replay-client.js'
import type { ResolvedFrom } from './replay-options.js'
import { StreamMerge, type LiveVerdict, type ReplayGapReason } from './replay-stream-merge.js'
import { replayInstance, replayType } from './topic-name.js'
import type { ResolvedTopic } from './topic-config.js'

export interface ReplayMergeContext {
  transport: Transport
  topic: ResolvedTopic
  from: ResolvedFrom
  /** The subscription's key range: the replay sends keyed messages in it only. */
  lower: number
  upper: number
  /** Live messages held per stream while its replay runs. */
  maxBuffered: number
}

export interface ReplayMergeHooks {
  /** A message for the subscriber (replayed, or live in merge order). */
  deliver(m: InboundMessage): void
  /** A live copy addressed to this subscriber that will not be processed (replay-stream-merge.ts). */
  refuse(publisher: SocketAddress, stream: bigint, seq: number, attempt: number, reason: string): void
  gap(publisher: SocketAddress, stream: bigint, from: number, to: number, reason: ReplayGapReason): void
}

const ALL = 0xffffffff

export class ReplayMerge {
  private readonly streams = new Map<string, StreamMerge>()
  private readonly clients = new Set<ReplayClient>()
  private readonly type: number
  private topology: TopologySubscription | undefined
  private paused = false
  private closed = false

  constructor(private readonly ctx: ReplayMergeContext, private readonly hooks: ReplayMergeHooks) {
    this.type = replayType(ctx.topic.name)
  }

  /** Start watching for retaining publishers (after the subscriber bound: live comes first). */
  start(): void {
    this.topology = this.ctx.transport.subscribe({ type: this.type, lower: 0, upper: ALL }, e => {
      if (e.kind !== 'published' || this.closed) return
      const key = `${e.node}:${e.range.lower}`
      if (!this.streams.has(key)) this.replay(key, e.socket)
    })
  }

  /** A live message, in the stream receiver's order: it goes up now, waits for the replay, or was delivered by it. */
  live(m: InboundMessage): LiveVerdict {
    const key = `${m.publisher.node}:${replayInstance(m.stream)}`
    let merge = this.streams.get(key)
    if (merge === undefined) {
      if (!this.startedBefore(m)) {
        this.streams.set(key, this.newMerge('live'))
        return 'pass'
      }
      merge = this.replay(key, { type: this.type, instance: replayInstance(m.stream) }, m)
    }
    return merge.live(m)
  }

  /** The subscriber's buffer is full: hold every replay back. */
  pause(): void {
    this.paused = true
    for (const c of this.clients) c.pause()
  }

  resume(): void {
    this.paused = false
    for (const c of this.clients) c.resume()
  }

  close(): void {
    this.closed = true
    this.topology?.cancel()
    for (const c of this.clients) c.close()
    this.clients.clear()
  }

  /** Whether a stream's first live message shows it began before the position asked. */
  private startedBefore(m: InboundMessage): boolean {
    const from = this.ctx.from
    if (from.kind === 'seq') return m.seq > from.seq
    // Earlier messages, if any, are older than this one: none is at or after the time if this one is not.
    if (from.kind === 'time') return m.seq > 1 && m.timestamp >= from.ms
    return m.seq > 1
  }

  private newMerge(phase: 'replaying' | 'live'): StreamMerge {
    const startSeq = this.ctx.from.kind === 'seq' ? this.ctx.from.seq : 1
    return new StreamMerge(phase, startSeq, this.ctx.maxBuffered, this.hooks)
  }

  private replay(key: string, dest: ServiceAddress | SocketAddress, first?: InboundMessage): StreamMerge {
    const merge = this.newMerge('replaying')
    this.streams.set(key, merge)
    merge.publisher = first?.publisher
    merge.stream = first?.stream
    // The stream id is known from a live message; from a binding, only its low 32 bits: the request then
    // names stream 0 (whichever stream the service serves), and the start frame says which.
    const client: ReplayClient = new ReplayClient(this.ctx.transport, dest, {
      topicHash: this.ctx.topic.hash, stream: first?.stream ?? 0n, from: this.ctx.from, lower: this.ctx.lower, upper: this.ctx.upper,
    }, {
      start: s => merge.started(s),
      message: m => merge.replayed(m),
      end: err => {
        this.clients.delete(client)
        if (this.closed) return
        merge.ended(err, !(err instanceof NoRouteError))
      },
    })
    this.clients.add(client)
    if (this.paused) client.pause()
    return merge
  }
}
