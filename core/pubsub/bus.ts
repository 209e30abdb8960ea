// The Bus: one per process (or per transport). It owns the transport's use
// by the topic layer: one socket that every publisher sends from, the topics
// (each with its presence, publisher stream and subscriptions), the schema
// registry that subscribers fill from publishers, the statistics, and its
// entry in the cluster directory (cluster-directory.ts), which says all of
// that to whoever asks.
// close() stops everything at once; drain() first waits for the receipts of
// what is in flight.
import { map, Observable, timer } from 'rxjs'
import type { ManyReply } from '../reqrep/many-request.js'
import type { RequestManyOptions, RequestOptions, ServeOptions } from '../reqrep/options.js'
import { RequestReply } from '../reqrep/request-reply.js'
import type { RequestHandler, Server } from '../reqrep/server.js'
import type { RequestReplyStats } from '../reqrep/stats.js'
import type { Clock, NodeEvent, Transport } from '../transport-contract/index.js'
import { refuseBorrowedReceive, TransportClosedError } from '../transport-contract/index.js'
import { connectStream, type ConnectStreamOptions } from '../streams/connect.js'
import { listenStream, type ListenStreamOptions } from '../streams/listen.js'
import type { MessageStream } from '../streams/message-stream.js'
import type { ConnectTarget, ListenName } from '../streams/stream-name.js'
import { BusSocket } from './bus-socket.js'
import { systemClock } from './clock.js'
import { ClusterDirectory } from './cluster-directory.js'
import { BusClosedError } from './errors.js'
import type { AckMode } from './outcome.js'
import { ResendPolicy, type ResendOptions } from './resend-policy.js'
import { SchemaServer } from './schema-server.js'
import { copyStats, sumStats, type TopicStats } from './stats.js'
import { Topic } from './topic.js'
import { resolveTopic, type TopicOptions } from './topic-config.js'
import { TopicRuntime, type BusContext } from './topic-runtime.js'

export interface BusOptions {
  /** Default ack mode of publish (default 'all'). */
  ack?: AckMode
  /** Default ack deadline, ms (default 5000). */
  timeoutMs?: number
  /** Resend schedule of unacked copies. */
  resend?: ResendOptions
  /** In-flight window per topic: messages and bytes awaiting receipts (defaults 1024 and 16 MiB). */
  window?: { messages?: number; bytes?: number }
  /** Close the transport when the bus closes (default true when the bus opened it). */
  ownsTransport?: boolean
  /** A clock other than the transport's (tests). */
  clock?: Clock
  /** Randomness for stream ids and jitter (tests: a seeded one). */
  random?: () => number
}

export class Bus implements AsyncDisposable {
  readonly transport: Transport
  /**
   * The cluster directory: `cluster.query()` asks every bus of the cluster
   * (this one too) for its topics, publishers, subscribers and counters.
   */
  readonly cluster: ClusterDirectory
  private readonly ctx: BusContext
  private readonly topics = new Map<string, { runtime: TopicRuntime; face: Topic<unknown> }>()
  private readonly defaults: { ack: AckMode; timeoutMs: number }
  private readonly ownsTransport: boolean
  private readonly reqrep: RequestReply
  private closing: Promise<void> | undefined

  constructor(transport: Transport, options: BusOptions = {}) {
    // Topics, request/reply and streams keep received envelopes past the transport's handlers.
    refuseBorrowedReceive('the bus', transport.kind, transport.capabilities)
    this.transport = transport
    this.ownsTransport = options.ownsTransport ?? false
    const clock = options.clock ?? transport.clock ?? systemClock
    const random = options.random ?? Math.random
    const policy = new ResendPolicy(options.resend)
    this.defaults = { ack: options.ack ?? 'all', timeoutMs: options.timeoutMs ?? policy.timeoutMs }
    const schemas = new SchemaServer()
    const socket = new BusSocket(transport, schemas, err => this.fail(err))
    this.ctx = {
      transport, clock, random, socket, schemas, policy,
      window: { maxMessages: options.window?.messages ?? 1024, maxBytes: options.window?.bytes ?? 16 * 1024 * 1024 },
    }
    this.reqrep = new RequestReply(transport, clock, random)
    this.cluster = new ClusterDirectory({
      transport, clock, random,
      describe: topic => {
        if (topic !== undefined) {
          const one = this.topics.get(topic)
          return one === undefined ? [] : [one.runtime.describe()]
        }
        return [...this.topics.values()].map(t => t.runtime.describe())
      },
    })
  }

  get closed(): boolean {
    return this.closing !== undefined
  }

  /** A topic (the same object for the same name); options apply the first time a name is used. */
  topic<T = unknown>(name: string, options: TopicOptions<T> = {}): Topic<T> {
    if (this.closing !== undefined) throw new BusClosedError()
    const known = this.topics.get(name)
    if (known !== undefined) return known.face as Topic<T>
    const runtime = new TopicRuntime(resolveTopic(name, options), this.ctx)
    const face = new Topic<unknown>(runtime, this.defaults)
    this.topics.set(runtime.config.name, { runtime, face })
    return face as Topic<T>
  }

  /** Incoming SEQPACKET streams on `name`, on this bus's transport (docs/streams.md). */
  listen<T = unknown>(name: ListenName, options: ListenStreamOptions<T> = {}): Observable<MessageStream<T>> {
    if (this.closing !== undefined) throw new BusClosedError()
    return listenStream<T>(this.transport, name, options)
  }

  /** A SEQPACKET stream to a listener of `target`, once it accepted (docs/streams.md). */
  async connect<T = unknown>(target: ConnectTarget, options: ConnectStreamOptions<T> = {}): Promise<MessageStream<T>> {
    if (this.closing !== undefined) throw new BusClosedError()
    return connectStream<T>(this.transport, target, options)
  }

  /** Send a request to one server of `topic` and resolve with its reply (docs/request-reply.md). */
  request<Rep = unknown, Req = unknown>(topic: string, value: Req, options?: RequestOptions<Req, Rep>): Promise<Rep> {
    if (this.closing !== undefined) return Promise.reject(new BusClosedError())
    return this.reqrep.request<Rep, Req>(topic, value, options)
  }

  /** request() as an Observable: subscribing sends it; one value (the reply) or a typed error; unsubscribing forgets it. */
  request$<Rep = unknown, Req = unknown>(topic: string, value: Req, options?: RequestOptions<Req, Rep>): Observable<Rep> {
    if (this.closing !== undefined) throw new BusClosedError()
    return this.reqrep.request$<Rep, Req>(topic, value, options)
  }

  /** Scatter a request to every server of `topic` (or of its key) and gather their replies until the strategy stops. */
  requestMany<Rep = unknown, Req = unknown>(topic: string, value: Req, options?: RequestManyOptions<Req, Rep>): Observable<ManyReply<Rep>> {
    if (this.closing !== undefined) throw new BusClosedError()
    return this.reqrep.requestMany<Rep, Req>(topic, value, options)
  }

  /** Answer the requests of `topic` with `handler` (servers of a topic share them by anycast). */
  serve<Req = unknown, Rep = unknown>(topic: string, handler: RequestHandler<Req, Rep>, options?: ServeOptions<Req, Rep>): Server {
    if (this.closing !== undefined) throw new BusClosedError()
    return this.reqrep.serve<Req, Rep>(topic, handler, options)
  }

  /** Request/reply counters: this bus's requests and its servers' (bad input included). */
  requestStats(): RequestReplyStats {
    return this.reqrep.stats()
  }

  /** Cluster nodes going up and down (those up now first). */
  nodes$(): Observable<NodeEvent> {
    return new Observable<NodeEvent>(subscriber => {
      const sub = this.transport.watchNodes(e => subscriber.next(e))
      return () => sub.cancel()
    })
  }

  /** Statistics of one topic, or of the whole bus. */
  stats(topic?: string): TopicStats {
    if (topic !== undefined) return copyStats(this.topics.get(topic)?.runtime.stats ?? sumStats([]))
    const total = sumStats([...this.topics.values()].map(t => t.runtime.stats))
    total.foreignReturns += this.ctx.socket.counters.foreignReturns
    total.badEnvelopes += this.ctx.socket.counters.badEnvelopes
    total.unexpected += this.ctx.socket.counters.unexpected + this.ctx.socket.counters.unknownStream
    return total
  }

  /** The bus's (or one topic's) statistics now and every `periodMs` (default 1000). */
  stats$(periodMs = 1000, topic?: string): Observable<TopicStats> {
    return timer(0, periodMs).pipe(map(() => this.stats(topic)))
  }

  /** Wait for every message in flight to get its receipt, then close. */
  async drain(): Promise<void> {
    while ([...this.topics.values()].some(t => t.runtime.inFlight > 0) && this.closing === undefined) {
      await new Promise<void>(resolve => this.ctx.clock.setTimer(10, resolve))
    }
    await this.close()
  }

  /** Close every subscription and publisher (pending receipts fail with BusClosedError), then the transport if the bus owns it. */
  close(): Promise<void> {
    this.closing ??= this.shutdown()
    return this.closing
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  private async shutdown(): Promise<void> {
    const reason = new BusClosedError()
    for (const t of this.topics.values()) t.runtime.close(reason)
    this.reqrep.close()
    this.ctx.socket.close()
    this.cluster.close()
    if (this.ownsTransport) await this.transport.close()
  }

  private fail(err: Error): void {
    for (const t of this.topics.values()) t.runtime.close(new TransportClosedError({ cause: err }))
  }
}
