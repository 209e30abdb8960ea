// One topic inside a bus: its settings, statistics, presence (who
// subscribes, from the topology service) and, once something is published,
// its publisher stream and in-flight window. Subscriptions are made here
// too. Plain TypeScript; topic.ts is the public face over it.
import { NoRouteError, type Clock, type Transport } from '../transport-contract/index.js'
import { encodeEnvelope } from './envelope-encode.js'
import { NoSubscribersError } from './errors.js'
import type { AckMode } from './outcome.js'
import type { BusSocket } from './bus-socket.js'
import { FlowWindow, type FlowWindowOptions } from './flow-window.js'
import { groupTarget, socketTarget } from './outcome.js'
import { TopicPresence } from './presence.js'
import { TopicPublisher } from './publisher.js'
import { ReplayServer } from './replay-server.js'
import { RetainedLog } from './retained-log.js'
import type { ResendPolicy } from './resend-policy.js'
import { AvroCodec, AvroWriterCodec } from '../../codecs/index.js'
import { SchemaFetcher } from './schema-fetch.js'
import type { SchemaServer } from './schema-server.js'
import { copyStats, newTopicStats, type TopicStats } from './stats.js'
import type { DirectorySubscriber, DirectoryTopic } from './directory-types.js'
import type { SubscriberSink } from './decode-stage.js'
import { resolveSubscribe, type ResolvedSubscribe, type SubscribeOptions } from './subscribe-options.js'
import { TopicSubscriber } from './subscriber.js'
import type { ResolvedTopic } from './topic-config.js'
import { groupDirectoryType } from './topic-name.js'

const ALL = 0xffffffff
/** How long a publish waits for the topology service to report a subscriber the network says is there. */
const PRESENCE_GRACE_MS = 1000

export interface BusContext {
  transport: Transport
  clock: Clock
  random: () => number
  socket: BusSocket
  schemas: SchemaServer
  policy: ResendPolicy
  window: FlowWindowOptions
}

export class TopicRuntime {
  readonly stats: TopicStats = newTopicStats()
  private presenceOf: TopicPresence | undefined
  private publisherOf: TopicPublisher | undefined
  private windowOf: FlowWindow | undefined
  private fetcherOf: SchemaFetcher | undefined
  private replayServer: ReplayServer | undefined
  /** Each started subscriber, with what it binds and since when (ms since the epoch), for the directory. */
  private readonly subscribers = new Map<TopicSubscriber, { options: ResolvedSubscribe; since: number }>()
  /** Since when this bus has the topic, and publishes it: ms since the Unix epoch (the directory says). */
  private readonly since = Date.now()
  private publishingSince = 0

  constructor(readonly config: ResolvedTopic, private readonly bus: BusContext) {}

  get presence(): TopicPresence {
    if (this.presenceOf === undefined) {
      this.presenceOf = new TopicPresence(this.bus.transport, { type: this.config.type, groupDirectoryType: groupDirectoryType(this.config.name) }, this.bus.clock)
      this.presenceOf.onChange(e => {
        if (this.publisherOf === undefined) return
        if (e.kind === 'left') this.publisherOf.left(socketTarget(e.subscriber), e.subscriber)
        else if (e.kind === 'group-left') this.publisherOf.left(groupTarget(e.group), e.lastMember)
      })
    }
    return this.presenceOf
  }

  /**
   * The writer-schema fetcher of an Avro topic (its codec's registry is where
   * fetched schemas go: an AvroCodec's, or a schema-less AvroWriterCodec's);
   * none for json and raw.
   */
  get fetcher(): SchemaFetcher | undefined {
    const codec = this.config.codec
    if (this.fetcherOf === undefined && (codec instanceof AvroCodec || codec instanceof AvroWriterCodec)) {
      const hash = this.config.hash
      this.fetcherOf = new SchemaFetcher(this.bus.clock, codec.registry, {}, {
        request: (publisher, codecId) => this.bus.socket.requestSchema(publisher, codecId, hash),
      })
      this.bus.socket.fetchers.set(hash, this.fetcherOf)
    }
    return this.fetcherOf
  }

  get window(): FlowWindow {
    this.windowOf ??= new FlowWindow(this.bus.window)
    return this.windowOf
  }

  get publisher(): TopicPublisher {
    if (this.publisherOf === undefined) {
      const retain = this.config.retain
      const retained = retain === undefined ? undefined : new RetainedLog(retain, Date.now)
      const p = new TopicPublisher({
        ...(retained === undefined ? {} : { retained }),
        topic: this.config,
        clock: this.bus.clock,
        random: this.bus.random,
        outbox: this.bus.socket.outbox,
        presence: this.presence,
        policy: this.bus.policy,
        window: this.window,
        stats: this.stats,
        maxMessageSize: this.bus.transport.capabilities.maxMessageSize,
      })
      p.onGap = (to, seq, prev, reason) => this.bus.socket.sendGap(to, this.config.hash, p.stream, seq, prev, reason)
      this.bus.socket.add(p)
      if (retained !== undefined) {
        const { transport, socket } = this.bus
        this.replayServer = new ReplayServer(transport, this.config, p.stream, socket.address, retained, transport.capabilities.maxMessageSize, this.stats)
      }
      this.bus.schemas.remember(this.config.codec)
      this.publisherOf = p
      this.publishingSince = Date.now()
    }
    return this.publisherOf
  }

  /**
   * Before a publish: when presence knows no subscriber yet, ask the
   * network whether anything is bound at all (a probe that the transport
   * refuses at once with NoRouteError when nothing is) and fail with
   * NoSubscribersError at once if not; if something is bound and the publish
   * expects acks, give the topology service a moment (PRESENCE_GRACE_MS) to
   * report it, so the message can name its receivers.
   */
  async presenceSettled(ack: AckMode): Promise<void> {
    const known = this.presence.targetsFor(undefined)
    if (known.sockets.length > 0 || known.groups.length > 0) return
    const probe = encodeEnvelope({ kind: 'control', op: 'probe', topicHash: this.config.hash, stream: 0n, timestamp: Date.now() })
    let bound = false
    for (const range of [{ type: this.config.type, lower: 0, upper: ALL }, { type: groupDirectoryType(this.config.name), lower: 0, upper: ALL }]) {
      try {
        this.bus.socket.socket.send(range, probe)
        bound = true
      } catch (err) {
        if (!(err instanceof NoRouteError)) throw err
      }
    }
    // A retaining topic publishes anyway: the message is kept for subscribers that join later.
    if (!bound && this.config.retain === undefined) throw new NoSubscribersError(this.config.name)
    if (!bound) return
    // Fire and forget needs no names: the multicast reaches whoever is bound.
    if (ack !== 'none') await this.anyTarget(PRESENCE_GRACE_MS)
  }

  /** Resolves when presence knows a subscriber or a queue group, or after `ms` of the clock. */
  private anyTarget(ms: number): Promise<void> {
    return new Promise(resolve => {
      const timer = this.bus.clock.setTimer(ms, () => done())
      const listening = this.presence.onChange(e => {
        if (e.kind === 'joined' || e.kind === 'group-joined') done()
      })
      function done(): void {
        timer.cancel()
        listening.cancel()
        resolve()
      }
    })
  }

  /** A started subscriber (bound); close() it to withdraw. */
  subscribe(options: SubscribeOptions, sink: SubscriberSink): TopicSubscriber {
    const resolved = resolveSubscribe(this.config, options)
    const s = new TopicSubscriber({
      transport: this.bus.transport,
      clock: this.bus.clock,
      topic: this.config,
      options: resolved,
      stats: this.stats,
      fetcher: this.fetcher,
      sink,
    })
    s.start()
    this.subscribers.set(s, { options: resolved, since: Date.now() })
    s.onClose = () => this.subscribers.delete(s)
    return s
  }

  /** Publishes started (encoding, waiting for subscribers or room) and not yet sent. */
  starting = 0

  /** Messages of this topic not yet settled: those on their way to being sent, and those awaiting receipts. */
  get inFlight(): number {
    return this.starting + (this.publisherOf?.pending ?? 0)
  }

  /** This topic as the cluster directory describes it (directory-types.ts). */
  describe(): DirectoryTopic {
    const subscribers: DirectorySubscriber[] = []
    for (const [s, { options, since }] of this.subscribers) {
      const { type, lower, upper } = options.range
      subscribers.push({
        socket: s.socket.address, type, lower, upper, scope: options.scope,
        ...(options.group === undefined ? {} : { group: options.group }), ack: options.ack, since,
      })
    }
    const p = this.publisherOf
    return {
      name: this.config.name, type: this.config.type, codec: this.config.codec.kind.slice(0, 64) || 'custom', since: this.since,
      ...(p === undefined ? {} : { publisher: { socket: this.bus.socket.address, stream: p.stream.toString(16).padStart(16, '0'), since: this.publishingSince } }),
      subscribers, subscribersOmitted: 0, stats: copyStats(this.stats), inFlight: this.inFlight,
    }
  }

  close(reason: Error): void {
    for (const s of [...this.subscribers.keys()]) s.close()
    this.publisherOf?.close(reason)
    this.replayServer?.close()
    this.windowOf?.close(reason.message)
    this.presenceOf?.close()
    this.fetcherOf?.close(reason)
  }
}
