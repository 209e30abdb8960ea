// Connectionless TIPC sockets: RDM (reliable datagrams) and DGRAM. Anycast
// to a service address, multicast to a range, unicast to a socket address,
// batched send and receive, and communication groups.
import {
  encodeDestination, isServiceRange, scopeValue, toRange,
  type Destination, type EncodedAddress, type Scope, type ServiceAddress, type ServiceRange,
} from './address.js'
import { addon } from './addon.js'
import { BorrowedBatch } from './borrowed-batch.js'
import { InvalidArgumentError, MessageTooLargeError, SocketClosedError, fromNative } from './errors.js'
import { MessageBatch } from './message.js'
import { AddressKind, ReadMode } from './native.js'
import { checkReplyable, fillReplyDestinations } from './reply-destinations.js'
import { SocketBase, type NamespaceOption } from './socket-base.js'

/**
 * TIPC's largest user message: TIPC_MAX_USER_MSG_SIZE of <linux/tipc.h>. The
 * binding's source of truth is the kernel header (test/core/tipc-limits pins
 * this to the addon's value); the contract keeps its own for every transport.
 */
export const MAX_MESSAGE_SIZE = 66000

export type BatchHandler = (batch: MessageBatch) => void

export interface GroupOptions {
  /** Group identity: a service type. */
  type: number
  /** This member's instance within the group. */
  instance: number
  scope?: Scope
  /** Receive a copy of own broadcasts/multicasts that match. */
  loopback?: boolean
  /** Receive 'joined'/'left' events for the other members. */
  memberEvents?: boolean
}

export interface BorrowOptions {
  /** Errors while receiving (reading then stops); without it they are thrown. */
  onError?: (err: Error) => void
  /**
   * A debugging aid: after each callback, fill the memory the batch used
   * with 0xDB bytes, so a view kept past the callback shows garbage at once
   * instead of plausible later messages. Costs a memset per batch.
   */
  poison?: boolean
}

export interface OpenOptions extends NamespaceOption {
  /** 'rdm' (default): reliable datagrams; 'dgram': droppable datagrams. */
  kind?: 'rdm' | 'dgram'
}

function checkSize(data: Uint8Array): void {
  if (!(data instanceof Uint8Array)) throw new InvalidArgumentError('message data must be a Uint8Array or Buffer')
  if (data.byteLength > MAX_MESSAGE_SIZE) throw new MessageTooLargeError(data.byteLength, MAX_MESSAGE_SIZE)
}

export class DatagramSocket extends SocketBase {
  private handler: BatchHandler | undefined
  private groupType: number | undefined
  private errorHandler: ((err: Error) => void) | undefined
  /** How resume() reads: copied batches, or borrowed ones. */
  private receiveMode: ReadMode = ReadMode.Batches
  /** The borrowed region, once onBorrowedMessages() asked for it. */
  private region: ArrayBuffer | undefined
  /** Reused by sendReplies(): 4 words per reply. */
  private replyWords: Uint32Array = new Uint32Array(64 * 4)

  private constructor(kind: 'rdm' | 'dgram', netns?: string) {
    super(kind, -1, netns)
  }

  /** A new non-blocking RDM (default) or DGRAM socket. */
  static open(options: OpenOptions = {}): DatagramSocket {
    const kind = options.kind ?? 'rdm'
    if (kind !== 'rdm' && kind !== 'dgram') throw new InvalidArgumentError(`kind must be 'rdm' or 'dgram'`)
    return new DatagramSocket(kind, options.netns)
  }

  /** Bind a service address or range (a socket may hold several bindings). */
  bind(name: ServiceAddress | ServiceRange, scope: Scope = 'cluster'): void {
    const r = toRange(name)
    const s = scopeValue(scope)
    this.call(() => this.native.bind(r.type, r.lower, r.upper, s, false), r)
  }

  /** Withdraw a binding made with bind() (same range and scope). */
  unbind(name: ServiceAddress | ServiceRange, scope: Scope = 'cluster'): void {
    const r = toRange(name)
    const s = scopeValue(scope)
    this.call(() => this.native.bind(r.type, r.lower, r.upper, s, true), r)
  }

  /**
   * Send one message: to a service address (anycast), a range (multicast) or
   * a socket address (unicast). Returns false when congested: wait for
   * writable() and send again. Throws NoRouteError when nobody is bound.
   */
  sendto(dest: Destination, data: Uint8Array): boolean {
    checkSize(data)
    const [k, a, b, c] = encodeDestination(dest)
    if (this.closed) throw new SocketClosedError()
    // The hot path: no closure per send (this.call would allocate one).
    try {
      return this.native.sendto(data, k, a, b, c) >= 0
    } catch (err) {
      throw fromNative(err, dest)
    }
  }

  /** Multicast to every socket bound to an overlapping range (TIPC's mcast). */
  mcast(range: ServiceRange, data: Uint8Array): boolean {
    if (!isServiceRange(range)) throw new InvalidArgumentError('mcast takes a service range {type, lower, upper}')
    return this.sendto(range, data)
  }

  /** Group broadcast: to every member of the joined group (no address). */
  broadcast(data: Uint8Array): boolean {
    checkSize(data)
    return this.call(() => this.native.sendto(data, AddressKind.None, 0, 0, 0)) >= 0
  }

  /**
   * Send many messages in one native call (sendmmsg). `dest` is one
   * destination for all, or one per message. Returns how many were accepted,
   * in order; fewer than all means congestion (await writable(), then send
   * the rest). A failure after some were sent throws with `sent` set.
   */
  sendBatch(dest: Destination | Destination[], messages: Uint8Array[]): number {
    let total = 0
    for (const m of messages) {
      checkSize(m)
      total += m.byteLength
    }
    const packed = new Uint8Array(total)
    const lengths = new Uint32Array(messages.length)
    let offset = 0
    messages.forEach((m, i) => {
      packed.set(m, offset)
      offset += m.byteLength
      lengths[i] = m.byteLength
    })
    if (Array.isArray(dest)) {
      if (dest.length !== messages.length) throw new InvalidArgumentError('one destination per message, or one for all')
      const encoded = new Uint32Array(dest.length * 4)
      dest.forEach((d, i) => encoded.set(encodeDestination(d), i * 4))
      return this.call(() => this.native.sendBatch(packed, lengths, messages.length, 0, 0, 0, 0, encoded))
    }
    return this.sendPacked(encodeDestination(dest), packed, lengths, messages.length, dest)
  }

  /**
   * The zero-copy form of sendBatch: messages already back to back in
   * `bytes`, their sizes in `lengths`, to a destination encoded once with
   * encodeDestination(). For hot loops that reuse their buffers.
   */
  sendPacked(dest: EncodedAddress, bytes: Uint8Array, lengths: Uint32Array, count: number, original?: Destination): number {
    return this.call(() => this.native.sendBatch(bytes, lengths, count, dest[0], dest[1], dest[2], dest[3]), original)
  }

  /**
   * Receive messages as they arrive, a batch per call (one native crossing
   * per batch). Replaces any previous handler. Errors while receiving go to
   * `onError` (reading then stops).
   */
  onMessages(handler: BatchHandler, onError?: (err: Error) => void): void {
    this.handler = handler
    this.errorHandler = onError
    this.receiveMode = ReadMode.Batches
    this.setReadMode(ReadMode.Batches)
  }

  /**
   * The borrowed receive mode, for hot paths. Like onMessages(), but every
   * batch is received into one region of memory the socket reuses: no
   * allocation, copy or fresh page per batch.
   *
   * THE BATCH AND EVERY VIEW FROM IT ARE VALID ONLY DURING THE CALLBACK.
   * After it returns, the batch throws BatchReleasedError, and a Uint8Array
   * taken with data(i) shows later messages. Consume or copy inside the
   * callback (`batch.copy()`, `Uint8Array.from(batch.data(i))`); sending a
   * view (sendto, replyTo) copies it into the kernel and is fine.
   * Replaces any previous handler, of either mode.
   */
  onBorrowedMessages(handler: (batch: BorrowedBatch) => void, options: BorrowOptions = {}): void {
    if (typeof handler !== 'function') throw new InvalidArgumentError('onBorrowedMessages needs a handler function')
    this.region = this.call(() => this.native.borrow(options.poison === true))
    this.handler = handler as BatchHandler
    this.errorHandler = options.onError
    this.receiveMode = ReadMode.Borrowed
    this.setReadMode(ReadMode.Borrowed)
  }

  /**
   * Send `data` to the socket that sent message i of `batch`, addressed from
   * the batch's header (no `from` object, no encodeDestination). Returns
   * false when congested, like sendto(). InvalidArgumentError for a
   * returned message or one without a source address.
   */
  replyTo(batch: MessageBatch, i: number, data: Uint8Array): boolean {
    checkSize(data)
    checkReplyable(batch, i)
    const node = batch.sourceNode(i)
    const ref = batch.sourceRef(i)
    if (this.closed) throw new SocketClosedError()
    try {
      return this.native.sendto(data, AddressKind.Socket, node, ref, 0) >= 0
    } catch (err) {
      throw fromNative(err, { node, ref })
    }
  }

  /**
   * Batched replies in one sendmmsg: packed message k (`bytes` and `lengths`
   * as for sendPacked) goes to the sender of message `indices[k]` of
   * `batch`, or of message k when `indices` is omitted. Returns how many
   * were accepted, in order, as sendPacked does.
   */
  sendReplies(batch: MessageBatch, bytes: Uint8Array, lengths: Uint32Array, count: number, indices?: ArrayLike<number>): number {
    this.replyWords = fillReplyDestinations(batch, count, indices, this.replyWords)
    const words = this.replyWords
    return this.call(() => this.native.sendBatch(bytes, lengths, count, AddressKind.None, 0, 0, 0, words))
  }

  /** Stop reading (messages queue in the kernel; past its limit they return OVERLOAD). */
  pause(): void {
    this.setReadMode(ReadMode.Off)
  }

  /** Start reading again after pause(). */
  resume(): void {
    if (!this.handler) throw new InvalidArgumentError('resume() needs onMessages() or onBorrowedMessages() first')
    this.setReadMode(this.receiveMode)
  }

  /** Receive what is queued now (up to `max` messages), or null: recvfrom without waiting. */
  recvfrom(max = 64): MessageBatch | null {
    const got = this.call(() => this.native.receive(max))
    return got ? new MessageBatch(got[0], got[1], got[2]) : null
  }

  /** Join a communication group (in-order group multicast with flow control). */
  join(group: GroupOptions): void {
    const c = addon().constants
    const r = toRange({ type: group.type, instance: group.instance })
    const flags = (group.loopback ? c.TIPC_GROUP_LOOPBACK! : 0) | (group.memberEvents ? c.TIPC_GROUP_MEMBER_EVTS! : 0)
    const scope = scopeValue(group.scope ?? 'cluster')
    this.call(() => this.native.join(r.type, r.lower, scope, flags))
    this.groupType = r.type
  }

  leave(): void {
    this.call(() => this.native.leave())
    this.groupType = undefined
  }

  /**
   * Group multicast: to every member that joined with `instance` (TIPC's
   * group "multicast" addresses one member identity, which several members
   * may share; kernel 6.1 reads only the lower bound of a range here).
   * Group anycast is sendto({type, instance}); unicast is sendto(socket
   * address); broadcast is broadcast().
   */
  groupMulticast(instance: number, data: Uint8Array): boolean {
    if (this.groupType === undefined) throw new InvalidArgumentError('groupMulticast() needs join() first')
    return this.sendto({ type: this.groupType, lower: instance, upper: instance }, data)
  }

  protected override onBatch(buffer: ArrayBuffer, count: number, offset: number): void {
    this.handler?.(new MessageBatch(buffer, count, offset))
  }

  protected override onBorrowedBatch(count: number): void {
    if (!this.handler || !this.region) return
    const batch = new BorrowedBatch(this.region, count)
    try {
      this.handler(batch)
    } finally {
      batch.release()
    }
  }

  protected override onReceiveError(err: Error): void {
    if (this.errorHandler) this.errorHandler(err)
    else throw err
  }
}
