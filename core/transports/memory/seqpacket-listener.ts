// A listening SEQPACKET socket of the memory network. As in TIPC, a connect
// completes only when the listener accepts it: until onConnection() is set,
// connects wait in the backlog.
import type { ServiceRange, SocketAddress } from '../../transport/address.js'
import type { SeqpacketConnection, SeqpacketListener } from '../../transport/seqpacket.js'
import type { NameBinding } from '../shared/name-table.js'
import type { Endpoint } from './endpoint.js'
import type { MemoryNetwork } from './network.js'
import type { MemorySeqpacketConnection } from './seqpacket-connection.js'

export class MemorySeqpacketListener implements SeqpacketListener, Endpoint {
  readonly kind = 'listener'
  readonly address: SocketAddress
  readonly name: ServiceRange
  private readonly network: MemoryNetwork
  private readonly binding: NameBinding
  private handler: ((connection: SeqpacketConnection) => void) | undefined
  private backlog: MemorySeqpacketConnection[] = []
  private closedFlag = false

  /** @internal made by MemoryTransport.listen() */
  constructor(network: MemoryNetwork, address: SocketAddress, binding: NameBinding) {
    this.network = network
    this.address = address
    this.binding = binding
    this.name = { ...binding.range }
  }

  get closed(): boolean {
    return this.closedFlag
  }

  onConnection(handler: (connection: SeqpacketConnection) => void): void {
    this.handler = handler
    this.network.wake(this)
  }

  close(): void {
    if (this.closedFlag) return
    this.closedFlag = true
    this.network.withdraw(this.binding)
    this.network.removeEndpoint(this)
    for (const client of this.backlog.splice(0)) this.network.refuse(client)
  }

  /** @internal a connect request arrived */
  offer(client: MemorySeqpacketConnection): void {
    this.backlog.push(client)
    this.network.wake(this)
  }

  ready(): boolean {
    return this.handler !== undefined && this.backlog.length > 0 && !this.closedFlag
  }

  flush(): void {
    while (this.ready()) {
      const client = this.backlog.shift()!
      const server = this.network.accept(this, client)
      if (server) this.handler!(server)
    }
  }

  terminate(): void {
    this.closedFlag = true
    // Clients waiting in the backlog of a crashed node are refused by the network.
  }

  /** @internal connects still waiting, for the network to refuse on a crash */
  takeBacklog(): MemorySeqpacketConnection[] {
    return this.backlog.splice(0)
  }
}
