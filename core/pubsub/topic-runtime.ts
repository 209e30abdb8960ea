// One topic inside a bus: its settings, statistics, presence (who
// subscribes, from the topology service) and, once something is published,
// its publisher stream and in-flight window. Subscriptions are made here
// too. Plain TypeScript; topic.ts is the public face over it.
import { NoRouteError, type Clock, type Transport } from '../transport-contract/index.js'
import { encodeEnvelope } from './envelope-encode.js'
import { NoSubscribersError } from './errors.js'
import type { AckMode } from './outcome.js'
import type { BusSocket } from './bus-socket.js'
import { FlowWindow } from './flow-window.js'
import { groupTarget, socketTarget } from './outcome.js'
import { Presence } from './presence.js'
import { TopicPublisher } from './publisher.js'
import type { ResendPolicy } from './resend-policy.js'
import type { SchemaFetcher, SchemaServer } from './schema-fetch.js'
import { newTopicStats, type TopicStats } from './stats.js'
import type { SubscriberSink } from './decode-stage.js'
import { resolveSubscribe, type SubscribeOptions } from './subscribe-options.js'
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
  fetcher: SchemaFetcher
  schemas: SchemaServer
  policy: ResendPolicy
  window: { messages: number; bytes: number }
}

export class TopicRuntime {
  readonly stats: TopicStats = newTopicStats()
  private presenceOf: Presence | undefined
  private publisherOf: TopicPublisher | undefined
  private windowOf: FlowWindow | undefined
  private readonly subscribers = new Set<TopicSubscriber>()

  constructor(readonly config: ResolvedTopic, private readonly bus: BusContext) {}

  get presence(): Presence {
    if (this.presenceOf === undefined) {
      this.presenceOf = new Presence(this.bus.transport, this.bus.clock, { type: this.config.type, groupDirectoryType: groupDirectoryType(this.config.name) })
      this.presenceOf.listen(e => {
        if (e.kind !== 'left' || this.publisherOf === undefined) return
        this.publisherOf.left('subscriber' in e ? socketTarget(e.subscriber) : groupTarget(e.group))
      })
    }
    return this.presenceOf
  }

  get window(): FlowWindow {
    this.windowOf ??= new FlowWindow(this.bus.window)
    return this.windowOf
  }

  get publisher(): TopicPublisher {
    if (this.publisherOf === undefined) {
      const p = new TopicPublisher({
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
      this.bus.schemas.remember(this.config.codec)
      this.publisherOf = p
    }
    return this.publisherOf
  }

  /**
   * Before a publish that expects acks: when presence knows no subscriber
   * yet, ask the network whether anything is bound at all (a probe that the
   * transport refuses at once with NoRouteError when nothing is) and fail
   * with NoSubscribersError at once if not; if something is bound, give the
   * topology service a moment (presenceGraceMs) to report it.
   */
  async presenceSettled(ack: AckMode): Promise<void> {
    if (ack === 'none') return
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
    if (!bound) throw new NoSubscribersError(this.config.name)
    await this.presence.whenSubscribed(1, { timeoutMs: PRESENCE_GRACE_MS }).catch(() => undefined)
  }

  /** A started subscriber (bound); close() it to withdraw. */
  subscribe(options: SubscribeOptions, sink: SubscriberSink): TopicSubscriber {
    const s = new TopicSubscriber({
      transport: this.bus.transport,
      clock: this.bus.clock,
      topic: this.config,
      options: resolveSubscribe(this.config, options),
      stats: this.stats,
      fetcher: this.bus.fetcher,
      sink,
    })
    s.start()
    this.subscribers.add(s)
    s.onClose = () => this.subscribers.delete(s)
    return s
  }

  /** Settled when every message this topic has in flight has its receipt. */
  get inFlight(): number {
    return this.publisherOf?.pending ?? 0
  }

  close(reason: Error): void {
    for (const s of [...this.subscribers]) s.close()
    this.publisherOf?.close(reason)
    this.windowOf?.close(reason)
    this.presenceOf?.close()
  }
}
