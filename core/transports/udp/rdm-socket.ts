// An RDM socket of a udp node (the shared BaseRdmSocket keeps the state):
// bindings announced through the node's name distributor, a receive queue
// bounded by count and bytes (OVERLOAD past either), batches handed over on
// the event loop, and send() routed by the shared router, refused rather
// than buffered when a link's window is full.
import type { Destination, Scope, ServiceRange } from '../../transport-contract/address.js'
import type { RdmData } from '../shared/rdm-data.js'
import { BaseRdmSocket, type OwnBinding } from '../shared/rdm-socket.js'
import type { Returns } from '../shared/returned.js'
import type { Router } from '../shared/routing.js'
import type { ResolvedUdpOptions } from './options.js'

/** What an RDM socket needs of its node (UdpNode). */
export interface UdpRdmHost {
  readonly id: number
  readonly options: ResolvedUdpOptions
  readonly router: Router<UdpRdmSocket>
  readonly returns: Returns<RdmData>
  publish(ref: number, range: ServiceRange, scope: Scope): void
  withdraw(ref: number, range: ServiceRange, scope: Scope): void
  isBlocked(socket: UdpRdmSocket): boolean
  wake(socket: UdpRdmSocket): void
  removeEndpoint(socket: UdpRdmSocket): void
}

export class UdpRdmSocket extends BaseRdmSocket<RdmData> {
  private readonly node: UdpRdmHost

  /** @internal made by UdpTransport.rdm() */
  constructor(node: UdpRdmHost, ref: number) {
    super({ node: node.id, ref }, { messages: node.options.receiveQueueLimit, bytes: node.options.receiveQueueBytes })
    this.node = node
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

  protected returnUnread(from: number, msg: RdmData): void {
    this.node.returns.give(from, msg, 'NO_PORT', this.address.ref)
  }
}
