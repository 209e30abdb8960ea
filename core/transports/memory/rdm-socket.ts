// An RDM socket of the memory network (the shared BaseRdmSocket keeps the
// state): bindings in the network's name table, a receive queue bounded by
// count (OVERLOAD past its limit), batches handed over on the network's
// ticks, and send() that refuses rather than buffers when a link is
// congested.
import type { Destination, Scope, ServiceRange, SocketAddress } from '../../transport-contract/address.js'
import type { NameBinding } from '../shared/name-table.js'
import { BaseRdmSocket } from '../shared/rdm-socket.js'
import type { Endpoint } from './endpoint.js'
import type { MemoryNetwork } from './network.js'
import type { Packet } from './packet.js'

export class MemoryRdmSocket extends BaseRdmSocket<Packet, NameBinding> implements Endpoint {
  private readonly network: MemoryNetwork

  /** @internal made by MemoryTransport.rdm() */
  constructor(network: MemoryNetwork, address: SocketAddress) {
    // Bounded by count only: memory has no buffers to run out of.
    super(address, { messages: network.config.receiveQueueLimit, bytes: Infinity })
    this.network = network
  }

  /** @internal its node crashed: the network withdraws its bindings and returns nothing. */
  terminate(err: Error): void {
    this.abandon(err)
  }

  protected publish(range: ServiceRange, scope: Scope): NameBinding {
    const binding: NameBinding = { range, scope, socket: this.address }
    this.network.publish(binding)
    return binding
  }

  protected withdraw(binding: NameBinding): void {
    this.network.withdraw(binding)
  }

  protected route(dest: Destination, data: Uint8Array): boolean {
    return this.network.sendRdm(this, dest, data)
  }

  protected congested(): boolean {
    return this.network.isBlocked(this)
  }

  protected wake(): void {
    this.network.wake(this)
  }

  protected detach(): void {
    this.network.removeEndpoint(this)
  }

  protected returnUnread(from: number, packet: Packet): void {
    this.network.returns.give(from, packet, 'NO_PORT', this.address.ref)
  }
}
