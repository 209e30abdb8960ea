// A listening SEQPACKET socket of the memory network (the shared
// BaseSeqpacketListener keeps the backlog): connects are the clients' own
// connection ends, accepted and refused through the network's clock.
import type { SocketAddress } from '../../transport-contract/address.js'
import type { SeqpacketConnection } from '../../transport-contract/seqpacket.js'
import type { NameBinding } from '../shared/name-table.js'
import { BaseSeqpacketListener } from '../shared/seqpacket-listener.js'
import type { MemorySeqpacketConnection } from './seqpacket-connection.js'

/** What a listener needs of its node (MemoryNode). */
export interface MemoryListenerHost {
  withdraw(binding: NameBinding): void
  refuse(client: MemorySeqpacketConnection): void
  accept(listener: MemorySeqpacketListener, client: MemorySeqpacketConnection): SeqpacketConnection | undefined
  wake(e: MemorySeqpacketListener): void
  removeEndpoint(e: MemorySeqpacketListener): void
}

export class MemorySeqpacketListener extends BaseSeqpacketListener<MemorySeqpacketConnection> {
  /** @internal its binding in the name table */
  readonly binding: NameBinding
  private readonly node: MemoryListenerHost

  /** @internal made by MemoryTransport.listen() */
  constructor(node: MemoryListenerHost, address: SocketAddress, binding: NameBinding) {
    super(address, { ...binding.range })
    this.node = node
    this.binding = binding
  }

  /** @internal its node crashed: the network refuses the clients in the backlog (takeBacklog). */
  terminate(_err: Error): void {
    this.abandon()
  }

  protected withdraw(): void {
    this.node.withdraw(this.binding)
  }

  protected detach(): void {
    this.node.removeEndpoint(this)
  }

  protected refuse(client: MemorySeqpacketConnection): void {
    this.node.refuse(client)
  }

  protected accept(client: MemorySeqpacketConnection): SeqpacketConnection | undefined {
    return this.node.accept(this, client)
  }

  protected wake(): void {
    this.node.wake(this)
  }
}
