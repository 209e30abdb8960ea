// An RDM socket of the memory network: bindings in the shared name table, a
// bounded receive queue (OVERLOAD past its limit), batches handed over on
// the network's ticks, and send() that refuses rather than buffers when a
// link is congested.
import {
  checkScope, sameRange, toRange,
  type Destination, type Scope, type ServiceAddress, type ServiceRange, type SocketAddress,
} from '../../transport/address.js'
import { InvalidArgumentError, SocketClosedError } from '../../transport/errors.js'
import { checkMessage } from '../../transport/limits.js'
import { ArrayMessageBatch, type BatchHandler, type ReceivedMessage } from '../../transport/message.js'
import type { RdmSocket } from '../../transport/rdm-socket.js'
import type { Endpoint } from './endpoint.js'
import type { Binding } from './name-table.js'
import type { MemoryNetwork } from './network.js'
import type { Packet } from './packet.js'

interface Queued {
  message: ReceivedMessage
  /** Set for data (not for our own returned messages): what to return with NO_PORT if never read. */
  packet?: Packet
}

export class MemoryRdmSocket implements RdmSocket, Endpoint {
  readonly kind = 'rdm'
  readonly address: SocketAddress
  private readonly network: MemoryNetwork
  private readonly bindings: Binding[] = []
  private queue: Queued[] = []
  private handler: BatchHandler | undefined
  private paused = false
  private closedFlag = false
  private waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = []

  /** @internal made by MemoryTransport.rdm() */
  constructor(network: MemoryNetwork, address: SocketAddress) {
    this.network = network
    this.address = address
  }

  get closed(): boolean {
    return this.closedFlag
  }

  /** Messages waiting in the receive queue (for tests of overload). */
  get queueDepth(): number {
    return this.queue.length
  }

  bind(name: ServiceAddress | ServiceRange, scope: Scope = 'cluster'): void {
    this.checkOpen()
    const range = toRange(name)
    const s = checkScope(scope)
    if (this.find(range, s) >= 0) throw new InvalidArgumentError(`already bound to {${range.type}, ${range.lower}, ${range.upper}} (${s})`)
    const binding: Binding = { range, scope: s, socket: this.address }
    this.bindings.push(binding)
    this.network.publish(binding)
  }

  unbind(name: ServiceAddress | ServiceRange, scope: Scope = 'cluster'): void {
    this.checkOpen()
    const range = toRange(name)
    const i = this.find(range, checkScope(scope))
    if (i < 0) throw new InvalidArgumentError(`not bound to {${range.type}, ${range.lower}, ${range.upper}} (${scope})`)
    const [binding] = this.bindings.splice(i, 1)
    this.network.withdraw(binding!)
  }

  send(dest: Destination, data: Uint8Array): boolean {
    this.checkOpen()
    return this.network.sendRdm(this, dest, checkMessage(data))
  }

  sendBatch(dest: Destination, messages: readonly Uint8Array[]): number {
    this.checkOpen()
    for (const m of messages) checkMessage(m)
    let sent = 0
    for (const m of messages) {
      if (!this.network.sendRdm(this, dest, m)) break
      sent++
    }
    return sent
  }

  writable(): Promise<void> {
    if (this.closedFlag) return Promise.reject(new SocketClosedError())
    if (!this.network.isBlocked(this)) return Promise.resolve()
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }))
  }

  onMessages(handler: BatchHandler, _onError?: (err: Error) => void): void {
    // The memory network has no receive errors of its own; onError is part
    // of the contract for transports over real sockets.
    this.checkOpen()
    this.handler = handler
    this.network.wake(this)
  }

  pause(): void {
    this.paused = true
  }

  resume(): void {
    this.paused = false
    this.network.wake(this)
  }

  close(): void {
    if (this.closedFlag) return
    this.closedFlag = true
    for (const b of this.bindings.splice(0)) this.network.withdraw(b)
    const unread = this.queue
    this.queue = []
    this.network.removeEndpoint(this)
    for (const q of unread) if (q.packet) this.network.returnToSender(q.packet, 'NO_PORT')
    this.rejectWaiters(new SocketClosedError())
  }

  // --- called by the network -------------------------------------------------

  /** @internal */
  accepts(limit: number): boolean {
    return this.queue.length < limit
  }

  /** @internal */
  enqueue(message: ReceivedMessage, packet?: Packet): void {
    this.queue.push(packet ? { message, packet } : { message })
  }

  /** @internal a link this socket waited for has room again */
  unblocked(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w.resolve()
  }

  ready(): boolean {
    return this.handler !== undefined && !this.paused && this.queue.length > 0 && !this.closedFlag
  }

  flush(batchSize: number): void {
    if (!this.ready()) return
    const taken = this.queue.splice(0, batchSize)
    this.handler!(new ArrayMessageBatch(taken.map(q => q.message)))
  }

  terminate(err: Error): void {
    if (this.closedFlag) return
    this.closedFlag = true
    this.bindings.length = 0
    this.queue = []
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
