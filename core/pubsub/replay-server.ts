// A retaining publisher's replay service: a SEQPACKET listener on
// {replayType(topic), low 32 bits of the stream id}. Each connection asks
// once (a request frame); the answer is a start frame (where the replay ends
// and what was evicted), the retained messages from the position asked, in
// seq order, as record frames, then a clean end. Sends wait for the
// connection's flow-control window, so a slow late joiner holds back only
// its own replay. A request that does not decode, or names another topic or
// stream, ends the connection abruptly (the subscriber sees its peer lost)
// and is counted. A request for stream 0 means this service's stream (the
// subscriber found the service by its binding, which says only 32 bits of it).
import type { SeqpacketConnection, SeqpacketListener, SocketAddress, Transport } from '../transport-contract/index.js'
import { decodeReplayFrame, encodeRecord, encodeStart, type ReplayRequest } from './replay-wire.js'
import type { RetainedLog } from './retained-log.js'
import type { TopicStats } from './stats.js'
import { replayInstance, replayType } from './topic-name.js'
import type { ResolvedTopic } from './topic-config.js'

export interface ReplayServerCounts {
  /** Replays served to their end. */
  served: number
  /** Records sent. */
  records: number
  /** Requests refused: not a request frame, or for another topic or stream. */
  badRequests: number
  /** Replays that ended early: the subscriber went away (or the server closed). */
  cutShort: number
}

export class ReplayServer {
  readonly counts: ReplayServerCounts = { served: 0, records: 0, badRequests: 0, cutShort: 0 }
  private readonly listener: SeqpacketListener
  private readonly connections = new Set<SeqpacketConnection>()

  constructor(
    transport: Transport,
    private readonly topic: ResolvedTopic,
    private readonly stream: bigint,
    /** The bus socket this stream's live copies come from: replayed deliveries name it too. */
    private readonly publisher: SocketAddress,
    private readonly log: RetainedLog,
    private readonly maxFrame: number,
    /** The topic's statistics: a refused request counts as a bad envelope there too, where users look. */
    private readonly stats: TopicStats,
  ) {
    const instance = replayInstance(stream)
    this.listener = transport.listen({ type: replayType(topic.name), instance })
    this.listener.onConnection(c => this.accept(c))
  }

  close(): void {
    this.listener.close()
    for (const c of this.connections) c.close()
    this.connections.clear()
  }

  private accept(c: SeqpacketConnection): void {
    this.connections.add(c)
    let asked = false
    c.onMessages(batch => {
      if (asked) {
        // One request per connection: anything more is a protocol error.
        this.refuse(c)
        return
      }
      asked = true
      const decoded = decodeReplayFrame(batch.at(0).data)
      const request = decoded.ok && decoded.frame.kind === 'request' ? decoded.frame : undefined
      if (batch.length > 1 || request === undefined || request.topicHash !== this.topic.hash || (request.stream !== this.stream && request.stream !== 0n)) {
        this.refuse(c)
        return
      }
      void this.serve(c, request)
    }, () => this.connections.delete(c))
  }

  private refuse(c: SeqpacketConnection): void {
    this.counts.badRequests++
    this.stats.badEnvelopes++
    this.connections.delete(c)
    c.close()
  }

  private async serve(c: SeqpacketConnection, request: ReplayRequest): Promise<void> {
    const snapshot = this.log.snapshot(request.from)
    try {
      await send(c, encodeStart({ publisher: this.publisher, stream: this.stream, through: snapshot.through, missing: snapshot.missing }))
      for (const m of snapshot.messages) {
        if (m.key !== undefined && (m.keyInstance < request.lower || m.keyInstance > request.upper)) continue
        for (const frame of encodeRecord(m, this.maxFrame)) await send(c, frame)
        this.counts.records++
      }
      this.counts.served++
      c.end()
    } catch {
      // The subscriber went away mid-replay (or this side closed): nothing to tell anyone.
      this.counts.cutShort++
      c.close()
    } finally {
      this.connections.delete(c)
    }
  }
}

/** Send one frame, waiting for the window while it is full. Rejects once the connection ended. */
async function send(c: SeqpacketConnection, frame: Uint8Array): Promise<void> {
  while (!c.send(frame)) await c.writable()
}
