// An RDM socket of the memory network: the shared BaseRdmSocket with its
// node as the host (bindings in the network's name table, sends through the
// shared router onto the virtual links, a receive queue bounded by count:
// OVERLOAD past its limit). A node that crashes takes it down without a word.
import type { SocketAddress } from '../../transport-contract/address.js'
import { BaseRdmSocket, type RdmSocketHost } from '../shared/rdm-socket.js'
import type { Packet } from './packet.js'

export class MemoryRdmSocket extends BaseRdmSocket<Packet> {
  /** made by MemoryTransport.rdm() */
  constructor(node: RdmSocketHost<Packet>, address: SocketAddress, receiveQueueLimit: number) {
    // Bounded by count only: in one process there are no buffers to run out of.
    super(node, address, { messages: receiveQueueLimit, bytes: Infinity })
  }

  /** its node crashed: the network withdraws its bindings; nothing is returned. */
  terminate(err: Error): void {
    this.abandon(err)
  }
}
