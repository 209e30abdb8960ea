// A bus's requesting socket: every request and requestMany of the bus is
// sent from it, and every reply and returned request comes back to it. It is
// bound to nothing (a bound socket would be handed other sockets' returned
// multicast copies). It names itself with a random 64-bit token and counts
// request ids up from 1: a reply must carry both, so a reply to an id not
// issued, or under another token, is recognised as forged and dropped; a
// reply to an id already answered is a late copy, dropped. Each of those
// drops is counted (RequesterStats).
import type { Clock, Destination, MessageBatch, ReceivedMessage, ReturnCode, SocketAddress, Transport } from '../transport-contract/index.js'
import { RequestClosedError } from './errors.js'
import { emptyRequesterStats, type RequesterStats } from './stats.js'
import { decodeMessage, encodeMessage, type WireMessage } from './wire.js'

/** A request waiting for its replies, as the requester sees it (single-request.ts, many-request.ts). */
export interface PendingRequest {
  readonly topicHash: bigint
  /** A reply (or error reply) from `from` that checked out: right token, this id, this topic. */
  reply(from: SocketAddress, message: WireMessage, payload: Uint8Array): void
  /** The request came back undelivered from `from`. */
  returned(code: ReturnCode, from: SocketAddress): void
  /** The requester closed. */
  close(err: Error): void
}

/** What a request is sent as; `sequence` is set per send (1 for the first). */
export type RequestHeader = Omit<WireMessage, 'token' | 'id' | 'sequence' | 'kind' | 'settledBelow'>

export class Requester {
  readonly counters: RequesterStats = emptyRequesterStats()
  readonly clock: Clock
  readonly random: () => number
  private readonly socket
  private readonly token: bigint
  private readonly pending = new Map<number, PendingRequest>()
  private nextId = 1
  private closed = false

  constructor(transport: Transport, clock: Clock, random: () => number) {
    this.clock = clock
    this.random = random
    this.socket = transport.rdm()
    const word = () => BigInt(Math.floor(random() * 2 ** 32))
    this.token = (word() << 32n) | word()
    this.socket.onMessages(batch => this.onBatch(batch), err => this.close(err))
  }

  get address(): SocketAddress {
    return this.socket.address
  }

  /** A new request id, with `p` waiting for its replies. Throws RequestClosedError once closed. */
  open(p: PendingRequest): number {
    if (this.closed) throw new RequestClosedError('requester')
    const id = this.nextId++
    this.pending.set(id, p)
    this.counters.requests++
    return id
  }

  /** Stop waiting for request `id` (answered, failed or unsubscribed): later replies are late copies. */
  settle(id: number, failure?: { code: string }): void {
    if (!this.pending.delete(id)) return
    if (failure === undefined) this.counters.answered++
    else this.counters.failed[failure.code] = (this.counters.failed[failure.code] ?? 0) + 1
  }

  /**
   * Send request `id`'s bytes to `dest`. Throws NoRouteError when nothing is
   * bound there. Congestion waits for the socket, then sends (in the background).
   */
  send(dest: Destination, id: number, sequence: number, header: RequestHeader, payload: Uint8Array): void {
    // Ids go into `pending` in increasing order: its first key is the lowest still pending.
    const settledBelow = this.pending.keys().next().value ?? id
    const bytes = encodeMessage({ ...header, kind: 'request', token: this.token, id, sequence, settledBelow: Math.min(settledBelow, id) }, payload)
    if (sequence > 1) this.counters.resent++
    if (this.socket.send(dest, bytes)) return
    void this.sendWhenWritable(dest, id, bytes)
  }

  close(err: Error = new RequestClosedError('requester')): void {
    if (this.closed) return
    this.closed = true
    for (const p of [...this.pending.values()]) p.close(err)
    this.pending.clear()
    this.socket.close()
  }

  private async sendWhenWritable(dest: Destination, id: number, bytes: Uint8Array): Promise<void> {
    while (this.pending.has(id)) {
      try {
        await this.socket.writable()
        if (this.socket.send(dest, bytes)) return
      } catch {
        // No route now (the resend timer tries again, the deadline ends it), or closed (close() told everyone).
        return
      }
    }
  }

  private onBatch(batch: MessageBatch): void {
    for (let i = 0; i < batch.length; i++) this.onMessage(batch.at(i))
  }

  private onMessage(m: ReceivedMessage): void {
    if (m.returned !== undefined) {
      const decoded = decodeMessage(m.returned.data)
      const p = decoded.ok && decoded.message.kind === 'request' && decoded.message.token === this.token
        ? this.pending.get(decoded.message.id) : undefined
      if (p === undefined) this.counters.foreignReturns++
      else p.returned(m.returned.code, m.from)
      return
    }
    const decoded = decodeMessage(m.data)
    if (!decoded.ok || decoded.message.kind === 'request') {
      this.counters.badMessages++
      return
    }
    const { message, payload } = decoded
    if (message.token !== this.token || message.id >= this.nextId) {
      this.counters.unknownReplies++
      return
    }
    const p = this.pending.get(message.id)
    if (p === undefined) {
      this.counters.duplicateReplies++
      return
    }
    if (message.topicHash !== p.topicHash) {
      this.counters.wrongTopic++
      return
    }
    p.reply(m.from, message, payload)
  }
}
