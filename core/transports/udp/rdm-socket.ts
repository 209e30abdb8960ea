// An RDM socket of a udp node (the shared BaseRdmSocket keeps the state):
// bindings announced through the node's name table, a receive queue bounded
// by count and bytes (OVERLOAD past either), batches handed over on the
// event loop, and send() that refuses rather than buffers when a link's
// window is full.
import type { Destination, Scope, ServiceRange } from '../../transport-contract/address.js'
import type { RdmData } from '../shared/rdm-data.js'
import { BaseRdmSocket, type OwnBinding } from '../shared/rdm-socket.js'
import type { UdpNode } from './node.js'

export class UdpRdmSocket extends BaseRdmSocket<RdmData> {
  private readonly node: UdpNode

  /** @internal made by UdpTransport.rdm() */
  constructor(node: UdpNode, ref: number) {
    super({ node: node.id, ref }, { messages: node.options.receiveQueueLimit, bytes: node.options.receiveQueueBytes })
    this.node = node
  }

  // --- called by the node ---------------------------------------------------

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
    return this.node.router.send(this, dest, data)
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

  protected returnUnread(from: number, rec: RdmData): void {
    this.node.returns.give(from, rec, 'NO_PORT', this.address.ref)
  }
}
