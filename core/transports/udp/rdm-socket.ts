// An RDM socket of a udp node: bindings announced through the node's name
// table, a bounded receive queue (OVERLOAD past its limit), batches handed
// over on the event loop, and send() that refuses rather than buffers when a
// link's window is full.
import {
  checkScope, sameRange, toRange,
  type Destination, type Scope, type ServiceAddress, type ServiceRange, type SocketAddress,
} from '../../transport/address.js'
import { InvalidArgumentError, SocketClosedError } from '../../transport/errors.js'
import { checkMessage } from '../../transport/limits.js'
import { ArrayMessageBatch, type BatchHandler, type ReceivedMessage } from '../../transport/message.js'
import type { RdmSocket } from '../../transport/rdm-socket.js'
import type { UdpNode } from './node.js'
import type { DataRecord } from './records.js'

interface Queued {
  message: ReceivedMessage
  /** Data (not returns): what goes back with NO_PORT if never read. */
  record?: DataRecord
  fromNode: number
}

export class UdpRdmSocket implements RdmSocket {
  readonly kind = 'rdm'
  readonly address: SocketAddress
  private readonly node: UdpNode
  private readonly bindings: Array<{ range: ServiceRange; scope: Scope }> = []
  private queue: Queued[] = []
  private queueHead = 0
  private queueBytes = 0
  private handler: BatchHandler | undefined
  private paused = false
  private closedFlag = false
  private waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = []
  /** The peer whose link refused our last send. */
  blockedOn: number | undefined

  /** @internal made by UdpTransport.rdm() */
  constructor(node: UdpNode, ref: number) {
    this.node = node
    this.address = { node: node.id, ref }
  }

  get closed(): boolean {
    return this.closedFlag
  }

  get queueDepth(): number {
    return this.queue.length - this.queueHead
  }

  bind(name: ServiceAddress | ServiceRange, scope: Scope = 'cluster'): void {
    this.checkOpen()
    const range = toRange(name)
    const s = checkScope(scope)
    if (this.find(range, s) >= 0) throw new InvalidArgumentError(`already bound to {${range.type}, ${range.lower}, ${range.upper}} (${s})`)
    this.bindings.push({ range, scope: s })
    this.node.publish(this.address.ref, range, s)
  }

  unbind(name: ServiceAddress | ServiceRange, scope: Scope = 'cluster'): void {
    this.checkOpen()
    const range = toRange(name)
    const s = checkScope(scope)
    const i = this.find(range, s)
    if (i < 0) throw new InvalidArgumentError(`not bound to {${range.type}, ${range.lower}, ${range.upper}} (${s})`)
    this.bindings.splice(i, 1)
    this.node.withdraw(this.address.ref, range, s)
  }

  send(dest: Destination, data: Uint8Array): boolean {
    this.checkOpen()
    return this.node.sendRdm(this, dest, checkMessage(data))
  }

  sendBatch(dest: Destination, messages: readonly Uint8Array[]): number {
    this.checkOpen()
    for (const m of messages) checkMessage(m)
    let sent = 0
    for (const m of messages) {
      if (!this.node.sendRdm(this, dest, m)) break
      sent++
    }
    return sent
  }

  writable(): Promise<void> {
    if (this.closedFlag) return Promise.reject(new SocketClosedError())
    if (this.blockedOn === undefined || !this.node.congested(this.blockedOn)) {
      this.blockedOn = undefined
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }))
  }

  onMessages(handler: BatchHandler, _onError?: (err: Error) => void): void {
    this.checkOpen()
    this.handler = handler
    this.node.wake(this)
  }

  pause(): void {
    this.paused = true
  }

  resume(): void {
    this.paused = false
    this.node.wake(this)
  }

  close(): void {
    if (this.closedFlag) return
    this.closedFlag = true
    for (const b of this.bindings.splice(0)) this.node.withdraw(this.address.ref, b.range, b.scope)
    const unread = this.queue.slice(this.queueHead)
    this.queue = []
    this.queueHead = 0
    this.node.removeEndpoint(this.address.ref)
    for (const q of unread) if (q.record) this.node.returnData(q.fromNode, q.record, 'NO_PORT', this.address.ref)
    this.rejectWaiters(new SocketClosedError())
  }

  // --- called by the node ---------------------------------------------------

  /** @internal room for one more message of `bytes`? */
  accepts(bytes: number): boolean {
    const o = this.node.options
    return this.queueDepth < o.receiveQueueLimit && this.queueBytes + bytes <= o.receiveQueueBytes
  }

  /** @internal */
  enqueue(message: ReceivedMessage, fromNode: number, record?: DataRecord): void {
    this.queue.push(record ? { message, record, fromNode } : { message, fromNode })
    this.queueBytes += message.data.byteLength
    // A reader that keeps up gets full batches as they fill (as the native
    // binding reads until EAGAIN), so a burst off a link does not pile up to
    // OVERLOAD; the rest is handed over at the end of the turn.
    if (this.queueDepth >= this.node.options.batchSize && this.ready()) this.node.flushNow(this)
    else this.node.wake(this)
  }

  /** @internal the link we waited for has room */
  unblocked(): void {
    this.blockedOn = undefined
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w.resolve()
  }

  /** @internal */
  ready(): boolean {
    return this.handler !== undefined && !this.paused && this.queueDepth > 0 && !this.closedFlag
  }

  /** @internal hand one batch to the handler */
  flush(batchSize: number): void {
    if (!this.ready()) return
    const end = Math.min(this.queue.length, this.queueHead + batchSize)
    const messages: ReceivedMessage[] = []
    for (let i = this.queueHead; i < end; i++) {
      const m = this.queue[i]!.message
      this.queueBytes -= m.data.byteLength
      messages.push(m)
    }
    this.queueHead = end
    if (this.queueHead === this.queue.length) {
      this.queue = []
      this.queueHead = 0
    } else if (this.queueHead > 4096) {
      this.queue = this.queue.slice(this.queueHead)
      this.queueHead = 0
    }
    this.handler!(new ArrayMessageBatch(messages))
  }

  /** @internal the transport closed under us */
  terminate(err: Error): void {
    if (this.closedFlag) return
    this.close()
    this.rejectWaiters(new SocketClosedError({ cause: err }))
  }

  private rejectWaiters(err: Error): void {
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w.reject(err)
  }

  private find(range: ServiceRange, scope: Scope): number {
    return this.bindings.findIndex(b => b.scope === scope && sameRange(b.range, range))
  }

  private checkOpen(): void {
    if (this.closedFlag) throw new SocketClosedError()
  }
}
