// An RDM socket of a udp node (the shared BaseRdmSocket keeps the state):
// bindings announced through the node's name table, a receive queue bounded
// by count and bytes (OVERLOAD past either), batches handed over on the
// event loop, and send() that refuses rather than buffers when a link's
// window is full.
import type { Destination, Scope, ServiceRange } from '../../transport-contract/address.js'
import type { ReceivedMessage } from '../../transport-contract/message.js'
import { BaseRdmSocket, type OwnBinding } from '../shared/rdm-socket.js'
import type { UdpNode } from './node.js'
import type { DataRecord } from './records.js'

interface Queued {
  message: ReceivedMessage
  /** Data (not returns): what goes back with NO_PORT if never read. */
  record?: DataRecord
  fromNode: number
}

export class UdpRdmSocket extends BaseRdmSocket<Queued> {
  private readonly node: UdpNode

  /** @internal made by UdpTransport.rdm() */
  constructor(node: UdpNode, ref: number) {
    super({ node: node.id, ref })
    this.node = node
  }

  // --- called by the node ---------------------------------------------------

  /** @internal room for one more message of `bytes`? */
  accepts(bytes: number): boolean {
    const o = this.node.options
    return this.queueDepth < o.receiveQueueLimit && this.queueBytes + bytes <= o.receiveQueueBytes
  }

  /** @internal */
  enqueue(message: ReceivedMessage, fromNode: number, record?: DataRecord): void {
    this.push(record ? { message, record, fromNode } : { message, fromNode })
    // A reader that keeps up gets full batches as they fill (as the native
    // binding reads until EAGAIN), so a burst off a link does not pile up to
    // OVERLOAD; the rest is handed over at the end of the turn.
    if (this.queueDepth >= this.node.options.batchSize && this.ready()) this.node.flushNow(this)
    else this.node.wake(this)
  }

  /** @internal the transport closed under us: close as the application would (close() rejects the waiters). */
  terminate(_err: Error): void {
    this.close()
  }

  protected publish(range: ServiceRange, scope: Scope): OwnBinding {
    this.node.publish(this.address.ref, range, scope)
    return { range, scope }
  }

  protected withdraw(b: OwnBinding): void {
    this.node.withdraw(this.address.ref, b.range, b.scope)
  }

  protected route(dest: Destination, data: Uint8Array): boolean {
    return this.node.sendRdm(this, dest, data)
  }

  protected congested(): boolean {
    return this.node.isBlocked(this)
  }

  protected wake(): void {
    this.node.wake(this)
  }

  protected detach(): void {
    this.node.removeEndpoint(this)
  }

  protected returnUnread(q: Queued): void {
    if (q.record) this.node.returnData(q.fromNode, q.record, 'NO_PORT', this.address.ref)
  }
}
