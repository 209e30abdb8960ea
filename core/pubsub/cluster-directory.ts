// The cluster directory: where topic names come from the nodes themselves.
// Every bus binds one RDM socket, when it opens, to the well-known
// {DIRECTORY_SERVICE_TYPE, 0, 0} in cluster scope, and answers a query
// on it with what it has: its topics, who publishes and subscribes them here,
// since when, and their counters. A query (query(), `bus.cluster.query()`)
// multicasts to the whole directory range from that same socket and collects
// the answers (directory-query.ts). Nothing is cached: each query asks again.
//
// The socket is the bus's: close() closes it, so a closed bus leaves nothing
// behind that keeps the process alive.
import type { Clock, ReceivedMessage, RdmSocket, SocketAddress, Transport } from '../transport-contract/index.js'
import { InvalidArgumentError, U32_MAX } from '../transport-contract/index.js'
import { DirectoryQueryRun } from './directory-query.js'
import { DIRECTORY_INSTANCE, DIRECTORY_SERVICE_TYPE, type ClusterSnapshot, type DirectoryBus, type DirectoryQueryOptions, type DirectoryTopic } from './directory-types.js'
import { decodeDirectoryMessage, encodeAnswer, encodeQuery } from './directory-wire.js'
import { BusClosedError } from './errors.js'
import { Outbox } from './outbox.js'
import { checkTopic } from './topic-name.js'

export const DEFAULT_DIRECTORY_TIMEOUT_MS = 1000

/** What a bus's directory socket has counted. */
export interface DirectoryCounters {
  /** Queries answered. */
  answered: number
  /** Messages that were not directory messages (or not well-formed ones). */
  badMessages: number
  /** Answer parts of a query that is over, or that this bus never asked. */
  staleAnswers: number
  /** Answer parts or queries that came back undelivered (the asker or the bus went away, a queue was full). */
  returned: number
}

export interface DirectoryContext {
  transport: Transport
  clock: Clock
  random: () => number
  /** The bus's topics now (only `topic`, if given), as the directory describes them. */
  describe(topic: string | undefined): DirectoryTopic[]
}

export class ClusterDirectory {
  readonly counters: DirectoryCounters = { answered: 0, badMessages: 0, staleAnswers: 0, returned: 0 }
  private readonly socket: RdmSocket
  private readonly outbox: Outbox
  private readonly self: DirectoryBus
  private readonly queries = new Map<number, { run: DirectoryQueryRun; reject: (err: Error) => void }>()
  private closed = false

  /** @internal */
  constructor(private readonly ctx: DirectoryContext) {
    const { transport } = ctx
    this.socket = transport.rdm()
    // Every bus binds the same instance, 0: the answer's socket address says
    // which node it is. (Instance = node id was the first choice; with it the
    // udp case of test/pubsub/suite/late-joiner.test.ts stalled in 2 runs of 2
    // beside other udp tests, where instance 0 and the base commit passed. It
    // also stalled once with instance 0 beside the CLI's end-to-end tests, so
    // load may be the cause rather than the instance: an open question.)
    this.socket.bind({ type: DIRECTORY_SERVICE_TYPE, lower: DIRECTORY_INSTANCE, upper: DIRECTORY_INSTANCE }, 'cluster')
    this.outbox = new Outbox(this.socket)
    this.self = {
      node: transport.node, socket: this.socket.address, pid: process.pid, transport: transport.kind, since: Date.now(),
    }
    // A receive error ends this socket's reading only; queries time out and say who did not answer.
    this.socket.onMessages(batch => {
      for (let i = 0; i < batch.length; i++) this.onMessage(batch.at(i))
    }, () => undefined)
  }

  /** This bus's own directory socket. */
  get address(): SocketAddress {
    return this.socket.address
  }

  /**
   * Ask every bus of the cluster what it has: resolves when every directory
   * socket the topology service reports has answered in full, or after
   * `timeoutMs` (default 1000) with those that did not in `silent`. This
   * bus answers too. Rejects with BusClosedError if the bus closes first.
   */
  async query(options: DirectoryQueryOptions = {}): Promise<ClusterSnapshot> {
    if (this.closed) throw new BusClosedError()
    const timeoutMs = options.timeoutMs ?? DEFAULT_DIRECTORY_TIMEOUT_MS
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new InvalidArgumentError(`timeoutMs must be a positive number, got ${String(timeoutMs)}`)
    const topic = options.topic === undefined ? undefined : checkTopic(options.topic)
    let queryId = Math.floor(this.ctx.random() * U32_MAX)
    while (this.queries.has(queryId)) queryId = (queryId + 1) >>> 0
    const bytes = encodeQuery(queryId, topic)
    return new Promise<ClusterSnapshot>((resolve, reject) => {
      const run = new DirectoryQueryRun(this.ctx.clock, timeoutMs, {
        ask: () => this.outbox.send({ type: DIRECTORY_SERVICE_TYPE, lower: 0, upper: U32_MAX }, bytes, () => undefined),
        askAgain: socket => this.outbox.send(socket, bytes, () => undefined),
        done: snapshot => {
          this.queries.delete(queryId)
          resolve(snapshot)
        },
      })
      this.queries.set(queryId, { run, reject })
      run.start(this.ctx.transport)
    })
  }

  /** Withdraw the binding and close the socket; pending queries reject with BusClosedError. Idempotent. */
  close(): void {
    if (this.closed) return
    this.closed = true
    const pending = [...this.queries.values()]
    this.queries.clear()
    for (const q of pending) {
      q.reject(new BusClosedError())
      q.run.cancel()
    }
    this.outbox.close()
    this.socket.close()
  }

  private onMessage(m: ReceivedMessage): void {
    if (m.returned !== undefined) {
      this.counters.returned++
      return
    }
    const decoded = decodeDirectoryMessage(m.data)
    if (!decoded.ok) {
      this.counters.badMessages++
      return
    }
    const message = decoded.message
    if (message.op === 'query') {
      this.counters.answered++
      const parts = encodeAnswer(message.queryId, this.self, this.ctx.describe(message.topic), this.ctx.transport.capabilities.maxMessageSize)
      // An asker that is gone already (NoRouteError) needs no answer.
      for (const part of parts) this.outbox.send(m.from, part, () => undefined)
      return
    }
    const q = this.queries.get(message.queryId)
    if (q === undefined) this.counters.staleAnswers++
    else q.run.answer(m.from, message)
  }
}
