// One end of a SEQPACKET connection in the memory network (the shared
// BaseSeqpacketConnection keeps the state): everything reaches the peer
// through the network's virtual clock, a tick later, and the end is
// delivered after the data sent before it: clean after end(),
// PeerLostError after the peer's close() or its node's crash.
import type { SocketAddress } from '../../transport-contract/address.js'
import { SocketClosedError } from '../../transport-contract/errors.js'
import type { ReceivedMessage } from '../../transport-contract/message.js'
import { BaseSeqpacketConnection, type ConnectionEndHost } from '../shared/seqpacket-connection.js'

/** What a connection end needs of its node (MemoryNode): the network carries the rest. */
export interface MemoryConnectionHost extends ConnectionEndHost<MemorySeqpacketConnection> {
  /** A message or the clean end, to the peer, after what was sent before. */
  send(from: MemorySeqpacketConnection, to: SocketAddress, item: { message: ReceivedMessage } | { end: undefined }): void
  /** The peer `to` loses this end abruptly. */
  abort(to: SocketAddress, reason: 'NO_PORT'): void
  credit(sender: SocketAddress, n: number): void
}

export class MemorySeqpacketConnection extends BaseSeqpacketConnection {
  private readonly node: MemoryConnectionHost

  /** made by the node for connect() and accept() */
  constructor(node: MemoryConnectionHost, address: SocketAddress, window: number) {
    super(node, address, window)
    this.node = node
  }

  /** its node crashed: its peers hear of it from the network, not from here. */
  terminate(err: Error): void {
    this.finishHere(new SocketClosedError({ cause: err }), false)
  }

  protected sendData(peer: SocketAddress, data: Uint8Array): void {
    this.node.send(this, peer, { message: { data, from: { ...this.address } } })
  }

  protected sendEnd(peer: SocketAddress): void {
    this.node.send(this, peer, { end: undefined })
  }

  protected sendAbort(peer: SocketAddress): void {
    this.node.abort(peer, 'NO_PORT')
  }

  protected sendCredit(peer: SocketAddress, n: number): void {
    this.node.credit(peer, n)
  }
}
