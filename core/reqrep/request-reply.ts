// Request/reply on a bus: what Bus.request, request$, requestMany and serve
// delegate to. It owns the bus's requesting socket (made on the first
// request) and the servers the bus runs, and sums their counters.
import { firstValueFrom, type Observable } from 'rxjs'
import type { Clock, Transport } from '../transport-contract/index.js'
import { RequestClosedError } from './errors.js'
import { checkStrategy, manyRequest$, type ManyReply } from './many-request.js'
import {
  integer, positive, resolveCommon, resolveServe, type RequestManyOptions, type RequestOptions, type ServeOptions,
} from './options.js'
import { requestTarget } from './request-target.js'
import { Requester } from './requester.js'
import { Server, type RequestHandler } from './server.js'
import { singleRequest$ } from './single-request.js'
import { addServerStats, emptyRequesterStats, emptyServerStats, type RequestReplyStats, type ServerStats } from './stats.js'

export class RequestReply {
  private requester: Requester | undefined
  private readonly servers = new Set<Server>()
  /** Counters of servers already closed, so the sums never go back. */
  private readonly closedServers: ServerStats = emptyServerStats()
  private closed = false

  constructor(private readonly transport: Transport, private readonly clock: Clock, private readonly random: () => number) {}

  request$<Rep = unknown, Req = unknown>(topic: string, value: Req, options: RequestOptions<Req, Rep> = {}): Observable<Rep> {
    const common = resolveCommon(options)
    const settings = {
      ...common,
      timeoutMs: positive('timeoutMs', options.timeoutMs ?? 5000),
      retries: integer('retries', options.retries ?? 0, 0, 1000),
    }
    return singleRequest$<Rep>(this.requesterNow(), requestTarget(topic, common.group, common.key), value, settings)
  }

  request<Rep = unknown, Req = unknown>(topic: string, value: Req, options: RequestOptions<Req, Rep> = {}): Promise<Rep> {
    try {
      return firstValueFrom(this.request$<Rep, Req>(topic, value, options))
    } catch (err) {
      return Promise.reject(err)
    }
  }

  requestMany<Rep = unknown, Req = unknown>(topic: string, value: Req, options: RequestManyOptions<Req, Rep> = {}): Observable<ManyReply<Rep>> {
    const common = resolveCommon(options)
    const strategy = checkStrategy(options.strategy ?? 'timer', options.maxMessages)
    const settings = {
      ...common,
      strategy,
      maxWaitMs: positive('maxWaitMs', options.maxWaitMs ?? 1000),
      maxMessages: options.maxMessages === undefined ? Infinity : integer('maxMessages', options.maxMessages, 1, 2 ** 31),
      stallMs: positive('stallMs', options.stallMs ?? 200),
    }
    return manyRequest$<Rep>(this.requesterNow(), requestTarget(topic, common.group, common.key), value, settings)
  }

  serve<Req = unknown, Rep = unknown>(topic: string, handler: RequestHandler<Req, Rep>, options: ServeOptions<Req, Rep> = {}): Server {
    if (this.closed) throw new RequestClosedError('server')
    const server = new Server(this.transport, topic, handler as RequestHandler, resolveServe(options), s => {
      if (this.servers.delete(s)) addServerStats(this.closedServers, s.stats())
    })
    this.servers.add(server)
    return server
  }

  stats(): RequestReplyStats {
    const requester = this.requester?.counters ?? emptyRequesterStats()
    const servers = addServerStats({ ...this.closedServers }, emptyServerStats())
    for (const s of this.servers) addServerStats(servers, s.stats())
    return { requester: { ...requester, failed: { ...requester.failed } }, servers }
  }

  close(): void {
    this.closed = true
    for (const s of [...this.servers]) s.close()
    this.requester?.close()
  }

  private requesterNow(): Requester {
    if (this.closed) throw new RequestClosedError('requester')
    this.requester ??= new Requester(this.transport, this.clock, this.random)
    return this.requester
  }
}
