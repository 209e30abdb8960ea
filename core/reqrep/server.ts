// A server of a topic: a socket bound to the topic's request type over its
// key range (servers of the range share requests by anycast, and all of
// them get a requestMany), a bounded number of handlers running at once
// with a bounded queue behind them, and the reply cache that answers a
// repeated request without running the handler again (reply-cache.ts).
// Every request is answered: the handler's value(s), or an error reply
// (RemoteHandlerError at the requester) with the failure's code and message.
// close() withdraws the binding and closes the socket at once: requests
// unread come back to their requesters (NO_PORT), which may retry elsewhere.
// drain() withdraws the binding, answers what it already took, then closes.
import { isCodecError } from '../../codecs/index.js'
import { topicHash64 } from '../pubsub/topic-name.js'
import {
  MAX_MESSAGE_SIZE, NoRouteError, type MessageBatch, type RdmSocket, type ReceivedMessage, type ServiceRange,
  type SocketAddress, type Transport,
} from '../transport-contract/index.js'
import { consumeResult, SENTINEL, type HandlerResult } from './handler-result.js'
import type { ResolvedServe } from './options.js'
import { ReplyCache } from './reply-cache.js'
import { serviceType } from './service-name.js'
import { emptyServerStats, type ServerStats } from './stats.js'
import { decodeMessage, encodeFailure, encodeMessage, FLAG_MANY, FLAG_SENTINEL, type WireMessage } from './wire.js'
import { errorCode } from './error-code.js'

/** What a handler knows of the request besides its value. */
export interface RequestContext {
  /** The requester's socket. */
  requester: SocketAddress
  /** The request's id (per requester). */
  id: number
  /** The request's key bytes, when it had one. */
  key: Uint8Array | undefined
  /** True for a requestMany: every value of an Observable result is a reply. */
  many: boolean
}

/** A server's handler: the decoded request and its context in, the reply (see HandlerResult) out. */
export type RequestHandler<Req = unknown, Rep = unknown> = (request: Req, context: RequestContext) => HandlerResult<Rep>

interface Job { from: SocketAddress; message: WireMessage; payload: Uint8Array }

const EMPTY = new Uint8Array(0)

/** A server of a topic (Bus.serve): its socket, counters, and how it stops. */
export class Server implements AsyncDisposable {
  /** The topic served. */
  readonly topic: string
  /** The range this server is bound to. */
  readonly range: ServiceRange
  private readonly counters: ServerStats = emptyServerStats()
  private readonly socket: RdmSocket
  private readonly cache: ReplyCache
  private readonly topicHash: bigint
  private readonly queue: Job[] = []
  private running = 0
  private state: 'serving' | 'draining' | 'closed' = 'serving'
  private readonly whenIdle: Array<() => void> = []
  private readonly onClosed: (s: Server) => void

  /** @internal made by Bus.serve */
  constructor(transport: Transport, topic: string, private readonly handler: RequestHandler, private readonly o: ResolvedServe, onClosed: (s: Server) => void) {
    this.topic = topic
    this.topicHash = topicHash64(topic)
    this.range = { type: serviceType(topic, o.group), lower: o.lower, upper: o.upper }
    this.cache = new ReplyCache(o.cacheEntries, o.cacheBytes)
    this.onClosed = onClosed
    this.socket = transport.rdm()
    this.socket.onMessages(batch => this.onBatch(batch), () => this.close())
    this.socket.bind(this.range)
  }

  /** The server's socket. */
  get address(): SocketAddress {
    return this.socket.address
  }

  /** True once close() or drain() began. */
  get closed(): boolean {
    return this.state !== 'serving'
  }

  /** What this server counted (a copy). */
  stats(): ServerStats {
    return { ...this.counters }
  }

  /** Stop at once: the binding goes, the socket closes (requests unread come back NO_PORT); replies still running are dropped. Idempotent. */
  close(): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    this.queue.length = 0
    this.socket.close()
    for (const wake of this.whenIdle.splice(0)) wake()
    this.onClosed(this)
  }

  /** Stop taking requests (the binding goes), answer every request already taken, then close. */
  async drain(): Promise<void> {
    if (this.state !== 'serving') {
      if (this.state === 'draining') await new Promise<void>(resolve => this.whenIdle.push(resolve))
      return
    }
    this.state = 'draining'
    this.socket.unbind(this.range)
    if (this.running > 0 || this.queue.length > 0) await new Promise<void>(resolve => this.whenIdle.push(resolve))
    this.close()
  }

  /** drain(). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.drain()
  }

  private onBatch(batch: MessageBatch): void {
    for (let i = 0; i < batch.length; i++) this.onMessage(batch.at(i))
    this.pump()
  }

  private onMessage(m: ReceivedMessage): void {
    if (this.state === 'closed') return
    if (m.returned !== undefined) {
      this.counters.returnedReplies++
      return
    }
    this.counters.received++
    const decoded = decodeMessage(m.data)
    if (!decoded.ok || decoded.message.kind !== 'request') {
      this.counters.badMessages++
      return
    }
    const { message, payload } = decoded
    if (message.topicHash !== this.topicHash) {
      this.counters.wrongTopic++
      return
    }
    const known = this.cache.admit(m.from, message.token, message.id, message.settledBelow)
    switch (known.state) {
      case 'running':
        this.counters.repeatsWhileRunning++
        return
      case 'replayed':
        this.counters.replayed++
        return
      case 'answered':
        this.counters.answeredFromCache++
        for (const reply of known.replies) this.sendReply(m.from, reply)
        return
    }
    // The batch is pumped after it is read: handlers free now take their share before the queue's bound counts.
    if (this.queue.length >= this.o.maxQueued + Math.max(0, this.o.concurrency - this.running)) {
      this.counters.shed++
      this.cache.forget(m.from, message.token, message.id)
      return
    }
    this.queue.push({ from: m.from, message, payload })
  }

  private pump(): void {
    while (this.running < this.o.concurrency && this.queue.length > 0 && this.state !== 'closed') this.run(this.queue.shift()!)
    if (this.running === 0 && this.queue.length === 0) for (const wake of this.whenIdle.splice(0)) wake()
  }

  private run(job: Job): void {
    const { from, message } = job
    const many = (message.flags & FLAG_MANY) !== 0
    const replies: Uint8Array[] = []
    let finished = false
    // A reply names the request (token, id, topic) and never carries its key.
    const base = { topicHash: message.topicHash, token: message.token, id: message.id, codecId: this.o.replyCodec.id, settledBelow: 0 }
    const reply = (kind: 'reply' | 'error', flags: number, payload: Uint8Array): void => {
      let bytes = encodeMessage({ ...base, kind, flags, sequence: replies.length }, payload)
      if (bytes.length > MAX_MESSAGE_SIZE) {
        this.counters.handlerErrors++
        kind = 'error'
        bytes = encodeMessage({ ...base, kind, flags: 0, sequence: replies.length },
          encodeFailure({ code: 'EMSGSIZE', message: `the reply is ${payload.length} bytes, more than a request/reply message carries` }))
      }
      replies.push(bytes)
      this.sendReply(from, bytes)
    }
    const done = (): void => {
      if (finished) return
      finished = true
      this.cache.answered(from, message.token, message.id, replies)
      this.running--
      this.pump()
    }
    const fail = (err: unknown): void => {
      if (finished) return
      this.counters.handlerErrors++
      reply('error', 0, encodeFailure(failureOf(err)))
      done()
    }
    this.running++
    this.counters.handled++
    let request: unknown
    try {
      request = this.o.codec.decode(job.payload, message.codecId)
    } catch (err) {
      fail(err)
      return
    }
    let result: HandlerResult<unknown>
    try {
      result = this.handler(request, { requester: from, id: message.id, key: message.key, many })
    } catch (err) {
      fail(err)
      return
    }
    consumeResult(result, many, {
      value: v => {
        if (finished) return
        if (v === SENTINEL) {
          reply('reply', FLAG_SENTINEL, EMPTY)
          return
        }
        let payload: Uint8Array
        try {
          payload = this.o.replyCodec.encode(v)
        } catch (err) {
          fail(err)
          return
        }
        reply('reply', 0, payload)
      },
      fail,
      end: done,
    })
  }

  private sendReply(to: SocketAddress, bytes: Uint8Array): void {
    if (this.state === 'closed') return
    // The socket may have closed under us (the transport closed, the node crashed): the reply cannot go.
    if (this.socket.closed) {
      this.counters.undeliverableReplies++
      return
    }
    try {
      if (!this.socket.send(to, bytes)) void this.sendWhenWritable(to, bytes)
    } catch (err) {
      if (!(err instanceof NoRouteError)) throw err
      this.counters.undeliverableReplies++
    }
  }

  private async sendWhenWritable(to: SocketAddress, bytes: Uint8Array): Promise<void> {
    try {
      do await this.socket.writable()
      while (!this.socket.send(to, bytes))
    } catch {
      // The socket closed (close() dropped what was running), or the requester's node is gone.
      this.counters.undeliverableReplies++
    }
  }
}

/** The code and message a failure is sent back with. */
function failureOf(err: unknown): { code: string; message: string } {
  if (isCodecError(err)) return { code: `CODEC_${err.code}`, message: err.message }
  if (err instanceof Error) return { code: errorCode(err, 'ERR_TIPC_HANDLER'), message: err.message }
  return { code: 'ERR_TIPC_HANDLER', message: String(err) }
}
