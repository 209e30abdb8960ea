// An RDM socket as both transports keep it: its own bindings (each announced
// by the transport), a receive queue bounded by count and bytes (the
// delivery refuses with OVERLOAD past either) handed to the handler in
// batches, and send() that refuses rather than buffers while a link is
// congested, with writable() waiting for room. What a transport supplies is
// how a binding is announced, how a message is routed and when a link is
// congested again (the memory network's virtual links, or a udp link's
// window), how unread messages go back, and the flush schedule: the abstract
// hooks below.
import {
  checkScope, sameRange, toRange,
  type Destination, type Scope, type ServiceAddress, type ServiceRange, type SocketAddress,
} from '../../transport-contract/address.js'
import { InvalidArgumentError, SocketClosedError } from '../../transport-contract/errors.js'
import { checkMessage } from '../../transport-contract/limits.js'
import { ArrayMessageBatch, type BatchHandler, type ReceivedMessage } from '../../transport-contract/message.js'
import type { RdmSocket } from '../../transport-contract/rdm-socket.js'
import { Inbox } from './inbox.js'
import type { RdmData } from './rdm-data.js'
import { Waiters } from './waiters.js'

/** A binding as the socket remembers it, to withdraw it on unbind() or close(). */
export interface OwnBinding {
  range: ServiceRange
  scope: Scope
}

/** What waits in the receive queue: the message, its sender's node, and for data what goes back (NO_PORT) if never read. */
interface Queued<M extends RdmData> {
  message: ReceivedMessage
  from: number
  origin: M | undefined
}

/** Past either, the delivery refuses a message with OVERLOAD. */
export interface ReceiveLimits {
  messages: number
  bytes: number
}

export abstract class BaseRdmSocket<M extends RdmData = RdmData, B extends OwnBinding = OwnBinding> implements RdmSocket {
  readonly kind = 'rdm'
  readonly address: SocketAddress
  private readonly bindings: B[] = []
  private readonly inbox = new Inbox<Queued<M>>()
  /** Bytes of the messages in the inbox. */
  private inboxBytes = 0
  private readonly limits: ReceiveLimits
  private closedFlag = false
  private readonly waiters = new Waiters()

  constructor(address: SocketAddress, limits: ReceiveLimits) {
    this.address = address
    this.limits = limits
  }

  // --- what the transport supplies -------------------------------------------

  /** Announce a new binding of this socket; returns what to remember of it. */
  protected abstract publish(range: ServiceRange, scope: Scope): B
  /** Withdraw a binding announced by publish(). */
  protected abstract withdraw(binding: B): void
  /** Route and transmit one checked message; false when a link is congested (nothing sent). */
  protected abstract route(dest: Destination, data: Uint8Array): boolean
  /** Whether the link that refused the last send is still congested. */
  protected abstract congested(): boolean
  /** Something may be ready to hand over: flush soon. */
  protected abstract wake(): void
  /** Leave the node's endpoints. */
  protected abstract detach(): void
  /** A message from node `from` left unread at close(): give it back (NO_PORT). */
  protected abstract returnUnread(from: number, origin: M): void

  // --- the contract ------------------------------------------------------------

  get closed(): boolean {
    return this.closedFlag
  }

  /** Messages waiting in the receive queue (for tests of overload). */
  get queueDepth(): number {
    return this.inbox.length
  }

  bind(name: ServiceAddress | ServiceRange, scope: Scope = 'cluster'): void {
    this.checkOpen()
    const range = toRange(name)
    const s = checkScope(scope)
    if (this.find(range, s) >= 0) throw new InvalidArgumentError(`already bound to {${range.type}, ${range.lower}, ${range.upper}} (${s})`)
    this.bindings.push(this.publish(range, s))
  }

  unbind(name: ServiceAddress | ServiceRange, scope: Scope = 'cluster'): void {
    this.checkOpen()
    const range = toRange(name)
    const s = checkScope(scope)
    const i = this.find(range, s)
    if (i < 0) throw new InvalidArgumentError(`not bound to {${range.type}, ${range.lower}, ${range.upper}} (${s})`)
    const [binding] = this.bindings.splice(i, 1)
    this.withdraw(binding!)
  }

  send(dest: Destination, data: Uint8Array): boolean {
    this.checkOpen()
    return this.route(dest, checkMessage(data))
  }

  sendBatch(dest: Destination, messages: readonly Uint8Array[]): number {
    this.checkOpen()
    for (const m of messages) checkMessage(m)
    let sent = 0
    for (const m of messages) {
      if (!this.route(dest, m)) break
      sent++
    }
    return sent
  }

  writable(): Promise<void> {
    if (this.closedFlag) return Promise.reject(new SocketClosedError())
    if (!this.congested()) return Promise.resolve()
    return this.waiters.wait()
  }

  onMessages(handler: BatchHandler, _onError?: (err: Error) => void): void {
    // Neither transport has receive errors of its own; onError is part of
    // the contract for transports over real sockets.
    this.checkOpen()
    this.inbox.handler = handler
    this.wake()
  }

  pause(): void {
    this.inbox.paused = true
  }

  resume(): void {
    this.inbox.paused = false
    this.wake()
  }

  close(): void {
    if (this.closedFlag) return
    this.closedFlag = true
    for (const b of this.bindings.splice(0)) this.withdraw(b)
    const unread = this.inbox.clear()
    this.detach()
    for (const q of unread) if (q.origin !== undefined) this.returnUnread(q.from, q.origin)
    this.waiters.rejectAll(new SocketClosedError())
  }

  // --- called by the transport ---------------------------------------------------

  /** @internal room for one more message of `bytes`? */
  accepts(bytes: number): boolean {
    return this.inbox.length < this.limits.messages && this.inboxBytes + bytes <= this.limits.bytes
  }

  /** @internal a message from node `from`; `origin` for data, to give back if it is never read. */
  enqueue(message: ReceivedMessage, from: number, origin?: M): void {
    this.inbox.push({ message, from, origin })
    this.inboxBytes += message.data.byteLength
  }

  /** @internal */
  ready(): boolean {
    return this.inbox.deliverable && !this.closedFlag
  }

  /** @internal hand one batch to the handler */
  flush(batchSize: number): void {
    if (!this.ready()) return
    const taken = this.inbox.take(batchSize)
    const messages: ReceivedMessage[] = []
    for (const q of taken) {
      this.inboxBytes -= q.message.data.byteLength
      messages.push(q.message)
    }
    this.inbox.handler!(new ArrayMessageBatch(messages))
  }

  /** @internal the link this socket waited for has room again */
  unblocked(): void {
    this.waiters.resolveAll()
  }

  /** Stop at once without a word to anyone (the node is gone): nothing withdrawn, nothing returned. */
  protected abandon(err: Error): void {
    if (this.closedFlag) return
    this.closedFlag = true
    this.bindings.length = 0
    this.inbox.clear()
    this.waiters.rejectAll(new SocketClosedError({ cause: err }))
  }

  private find(range: ServiceRange, scope: Scope): number {
    return this.bindings.findIndex(b => b.scope === scope && sameRange(b.range, range))
  }

  private checkOpen(): void {
    if (this.closedFlag) throw new SocketClosedError()
  }
}
