// SEQPACKET over the links: connect/accept by name, messages with their
// boundaries, end-to-end flow control (a window of messages the peer's
// application has not consumed, returned as credit records), and an end
// that says how: clean (CONN_END after the data), PeerLostError('NO_PORT')
// when the peer closed abruptly (CONN_ABORT), PeerLostError('NO_NODE') when
// the peer's link went down. Records of one connection travel on one link,
// so their order is the link's. The records' handling is connections.ts.
import type { SocketAddress } from '../../transport-contract/address.js'
import { SocketClosedError } from '../../transport-contract/errors.js'
import { BaseSeqpacketConnection, type ConnectionEndHost } from '../shared/seqpacket-connection.js'
import { BaseSeqpacketListener } from '../shared/seqpacket-listener.js'
import { R_CONN_ABORT, R_CONN_CREDIT, R_CONN_DATA, R_CONN_END, type UdpRecord } from './records.js'

/** What a connection end needs of its node (UdpNode). */
export interface UdpConnectionHost extends ConnectionEndHost<UdpSeqpacketConnection> {
  /** A record to `node`, on its link after what went before. */
  sendRecord(node: number, rec: UdpRecord): void
}

/** A listener: connects are the clients' socket addresses, answered with records. */
export class UdpSeqpacketListener extends BaseSeqpacketListener<SocketAddress> {
  /** the transport closed under us: close as the application would */
  terminate(_err: Error): void {
    this.close()
  }
}

export class UdpSeqpacketConnection extends BaseSeqpacketConnection {
  private readonly node: UdpConnectionHost

    constructor(node: UdpConnectionHost, address: SocketAddress, window: number) {
    super(node, address, window)
    this.node = node
  }

  /** the transport closed under us: the peer hears of it as an abort */
  terminate(err: Error): void {
    if (this.isClosed) return
    this.abortPeer()
    this.finishHere(new SocketClosedError({ cause: err }))
  }

  protected sendData(peer: SocketAddress, data: Uint8Array): void {
    this.node.sendRecord(peer.node, { kind: R_CONN_DATA, dstRef: peer.ref, srcRef: this.address.ref, data })
  }

  protected sendEnd(peer: SocketAddress): void {
    this.node.sendRecord(peer.node, { kind: R_CONN_END, dstRef: peer.ref, srcRef: this.address.ref })
  }

  protected sendAbort(peer: SocketAddress): void {
    this.node.sendRecord(peer.node, { kind: R_CONN_ABORT, dstRef: peer.ref, srcRef: this.address.ref })
  }

  protected sendCredit(peer: SocketAddress, n: number): void {
    this.node.sendRecord(peer.node, { kind: R_CONN_CREDIT, dstRef: peer.ref, srcRef: this.address.ref, count: n })
  }
}
