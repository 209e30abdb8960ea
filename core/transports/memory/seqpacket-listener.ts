// A listening SEQPACKET socket of the memory network (the shared
// BaseSeqpacketListener keeps the backlog): connects are the clients' own
// connection ends, accepted and refused through the network's clock.
import type { SocketAddress } from '../../transport-contract/address.js'
import type { SeqpacketConnection } from '../../transport-contract/seqpacket.js'
import type { NameBinding } from '../shared/name-table.js'
import { BaseSeqpacketListener } from '../shared/seqpacket-listener.js'
import type { Endpoint } from './endpoint.js'
import type { MemoryNetwork } from './network.js'
import type { MemorySeqpacketConnection } from './seqpacket-connection.js'

export class MemorySeqpacketListener extends BaseSeqpacketListener<MemorySeqpacketConnection> implements Endpoint {
  private readonly network: MemoryNetwork
  private readonly binding: NameBinding

  /** @internal made by MemoryTransport.listen() */
  constructor(network: MemoryNetwork, address: SocketAddress, binding: NameBinding) {
    super(address, { ...binding.range })
    this.network = network
    this.binding = binding
  }

  terminate(): void {
    // Clients waiting in the backlog of a crashed node are refused by the network (takeBacklog).
    this.abandon()
  }

  protected withdraw(): void {
    this.network.withdraw(this.binding)
  }

  protected detach(): void {
    this.network.removeEndpoint(this)
  }

  protected refuse(client: MemorySeqpacketConnection): void {
    this.network.refuse(client)
  }

  protected accept(client: MemorySeqpacketConnection): SeqpacketConnection | undefined {
    return this.network.accept(this, client)
  }

  protected wake(): void {
    this.network.wake(this)
  }
}
