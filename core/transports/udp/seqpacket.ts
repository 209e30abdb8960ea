// SEQPACKET over the links: connect/accept by name, messages with their
// boundaries, end-to-end flow control (a window of messages the peer's
// application has not consumed, returned as credit records), and an end
// that says how: clean (CONN_END after the data), PeerLostError('NO_PORT')
// when the peer closed abruptly (CONN_ABORT), PeerLostError('NO_NODE') when
// the peer's link went down. Records of one connection travel on one link,
// so their order is the link's.
import type { Scope, ServiceRange, SocketAddress } from '../../transport-contract/address.js'
import { SocketClosedError } from '../../transport-contract/errors.js'
import type { SeqpacketConnection } from '../../transport-contract/seqpacket.js'
import type { NameBinding } from '../shared/name-table.js'
import { BaseSeqpacketConnection } from '../shared/seqpacket-connection.js'
import { BaseSeqpacketListener } from '../shared/seqpacket-listener.js'
import { R_CONN_ABORT, R_CONN_CREDIT, R_CONN_DATA, R_CONN_END, type UdpRecord } from './records.js'

/** What listeners and connection ends need of their node (UdpNode). */
export interface UdpSeqpacketHost {
  readonly id: number
  withdraw(binding: NameBinding): void
  /** A record to `node`, on its link after what went before. */
  sendRecord(node: number, rec: UdpRecord): void
  /** The server end for `client`, its accept already on the way. */
  accept(client: SocketAddress): SeqpacketConnection
  refuse(client: SocketAddress, listenerRef: number): void
  failConnect(client: UdpSeqpacketConnection, err: Error): void
  wake(e: UdpSeqpacketListener | UdpSeqpacketConnection): void
  removeEndpoint(e: UdpSeqpacketListener | UdpSeqpacketConnection): void
}

export class UdpSeqpacketListener extends BaseSeqpacketListener<SocketAddress> {
  /** @internal its binding in the name table */
  readonly binding: NameBinding
  private readonly node: UdpSeqpacketHost

  /** @internal */
  constructor(node: UdpSeqpacketHost, ref: number, name: ServiceRange, scope: Scope) {
    super({ node: node.id, ref }, name)
    this.node = node
    this.binding = { range: name, scope, socket: this.address }
  }

  /** @internal the transport closed under us: close as the application would */
  terminate(): void {
    this.close()
  }

  protected withdraw(): void {
    this.node.withdraw(this.binding)
  }

  protected detach(): void {
    this.node.removeEndpoint(this)
  }

  protected refuse(client: SocketAddress): void {
    this.node.refuse(client, this.address.ref)
  }

  /** The server end, and the accept record to the client before the application sees it. */
  protected accept(client: SocketAddress): SeqpacketConnection {
    return this.node.accept(client)
  }

  protected wake(): void {
    this.node.wake(this)
  }
}

export class UdpSeqpacketConnection extends BaseSeqpacketConnection {
  private readonly node: UdpSeqpacketHost

  /** @internal */
  constructor(node: UdpSeqpacketHost, ref: number, window: number) {
    super({ node: node.id, ref }, window)
    this.node = node
  }

  /** @internal the transport closed under us: the peer hears of it as an abort */
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

  protected wake(): void {
    this.node.wake(this)
  }

  protected detach(): void {
    this.node.removeEndpoint(this)
  }

  protected connectFailed(err: Error): void {
    this.node.failConnect(this, err)
  }
}
