// An RDM socket as both transports keep it: its own bindings (announced by
// its node), a receive queue bounded by count and bytes (the delivery
// refuses with OVERLOAD past either) handed to the handler in batches, and
// send() through the node's router, which refuses rather than buffers
// while a link is congested, with writable() waiting for room. Its node
// (RdmSocketHost) says how a binding is announced and when the endpoints
// flush; the transport's subclass says only what its node's end does to it
// (terminate).
import {
  checkScope, sameRange, toRange,
  type Destination, type Scope, type ServiceAddress, type ServiceRange, type SocketAddress,
} from '../../transport-contract/address.js'
import { InvalidArgumentError, SocketClosedError } from '../../transport-contract/errors.js'
import { checkMessage } from '../../transport-contract/limits.js'
import { ArrayMessageBatch, type BatchHandler, type ReceivedMessage } from '../../transport-contract/message.js'
import type { RdmSocket } from '../../transport-contract/rdm-socket.js'
import { Inbox } from './inbox.js'
import { keepMessage, type Keep } from './keep.js'
import type { NameBinding } from './name-table.js'
import type { RdmData } from './rdm-data.js'
import type { Router } from './routing.js'
import { Waiters } from './waiters.js'

/** What an RDM socket needs of its node (the memory network's nodes and the udp node provide it). */
export interface RdmSocketHost<M extends RdmData> {
  readonly router: Router<BaseRdmSocket<M>>
  /** `msg`, from node `from`, was left unread in `socket`'s queue at close: give it back (NO_PORT). */
  unread(from: number, msg: M, socket: BaseRdmSocket<M>): void
  /** Add a binding of this node's to the name table (and announce it). */
  publish(binding: NameBinding): void
  /** Take a binding made by publish() out again. */
  withdraw(binding: NameBinding): void
  /** Whether the socket's last refused send still waits for its link. */
  isBlocked(socket: BaseRdmSocket<M>): boolean
  /** Something may be ready to hand over: flush soon. */
  wake(socket: BaseRdmSocket<M>): void
  /** The socket leaves the node's endpoints. */
  removeEndpoint(socket: BaseRdmSocket<M>): void
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

export abstract class BaseRdmSocket<M extends RdmData = RdmData> implements RdmSocket {
  readonly kind = 'rdm'
  readonly address: SocketAddress
  private readonly host: RdmSocketHost<M>
  private readonly bindings: NameBinding[] = []
  private readonly inbox = new Inbox<Queued<M>>(() => this.host.wake(this))
  /** Bytes of the messages in the inbox. */
  private inboxBytes = 0
  private readonly limits: ReceiveLimits
  private closedFlag = false
  private readonly waiters = new Waiters()

  constructor(host: RdmSocketHost<M>, address: SocketAddress, limits: ReceiveLimits) {
    this.host = host
    this.address = address
    this.limits = limits
  }

  /** its node is going away: stop as the transport's semantics say (memory's crash, udp's close). */
  abstract terminate(err: Error): void

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
    const binding: NameBinding = { range, scope: s, socket: this.address }
    this.host.publish(binding)
    this.bindings.push(binding)
  }

  unbind(name: ServiceAddress | ServiceRange, scope: Scope = 'cluster'): void {
    this.checkOpen()
    const range = toRange(name)
    const s = checkScope(scope)
    const i = this.find(range, s)
    if (i < 0) throw new InvalidArgumentError(`not bound to {${range.type}, ${range.lower}, ${range.upper}} (${s})`)
    const [binding] = this.bindings.splice(i, 1)
    this.host.withdraw(binding!)
  }

  send(dest: Destination, data: Uint8Array): boolean {
    this.checkOpen()
    return this.host.router.send(this, dest, checkMessage(data))
  }

  sendBatch(dest: Destination, messages: readonly Uint8Array[]): number {
    this.checkOpen()
    for (const m of messages) checkMessage(m)
    let sent = 0
    for (const m of messages) {
      if (!this.host.router.send(this, dest, m)) break
      sent++
    }
    return sent
  }

  writable(): Promise<void> {
    if (this.closedFlag) return Promise.reject(new SocketClosedError())
    if (!this.host.isBlocked(this)) return Promise.resolve()
    return this.waiters.wait()
  }

  onMessages(handler: BatchHandler, _onError?: (err: Error) => void): void {
    // Neither transport has receive errors of its own; onError is part of
    // the contract for transports over real sockets.
    this.checkOpen()
    this.inbox.listen(handler)
  }

  pause(): void {
    this.inbox.pause()
  }

  resume(): void {
    this.inbox.resume()
  }

  close(): void {
    if (this.closedFlag) return
    this.closedFlag = true
    for (const b of this.bindings.splice(0)) this.host.withdraw(b)
    const unread = this.inbox.clear()
    this.host.removeEndpoint(this)
    for (const q of unread) if (q.origin !== undefined) this.host.unread(q.from, q.origin, this)
    this.waiters.rejectAll(new SocketClosedError())
  }

  // --- called by the transport ---------------------------------------------------

  /** room for one more message of `bytes`? */
  accepts(bytes: number): boolean {
    return this.inbox.length < this.limits.messages && this.inboxBytes + bytes <= this.limits.bytes
  }

  /** a message from node `from`; `origin` for data, to give back if it is never read. */
  enqueue(message: ReceivedMessage, from: number, origin?: M): void {
    this.inbox.push({ message, from, origin })
    this.inboxBytes += message.data.byteLength
  }

  keepQueued(keep: Keep): void {
    for (const q of this.inbox.fresh()) {
      const lent = q.message.data
      keepMessage(q.message, keep)
      // What goes back NO_PORT if never read: usually the message's own bytes (one copy for both);
      // a multicast's is shared by its copies (kept once).
      if (q.origin !== undefined) q.origin.data = q.origin.data === lent ? q.message.data : keep(q.origin.data)
    }
  }

    ready(): boolean {
    return this.inbox.deliverable && !this.closedFlag
  }

  /** hand one batch to the handler */
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

  /** the link this socket waited for has room again */
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
