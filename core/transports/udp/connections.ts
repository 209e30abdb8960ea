// SEQPACKET over the links, this node's side of it: a connect is a CONN_REQ
// record to the listener's node, answered by CONN_ACCEPT (the server end's
// ref) or CONN_REFUSE; then DATA, CREDIT, END and ABORT records between the
// two ends, on one link, in order. A record for an end that does not know
// the sender is answered with ABORT (its peer is gone). When a peer's link
// goes down, the ends connected to it and the connects waiting for it fail
// with PeerLostError('NO_NODE').
import type { Destination, SocketAddress } from '../../transport-contract/address.js'
import { ConnectionRefusedError, PeerLostError } from '../../transport-contract/errors.js'
import type { Endpoint, Endpoints } from '../shared/endpoints.js'
import { PendingConnects } from '../shared/pending-connects.js'
import type { Outbound } from './outbound.js'
import {
  R_CONN_ABORT, R_CONN_ACCEPT, R_CONN_CREDIT, R_CONN_DATA, R_CONN_END, R_CONN_REFUSE, R_CONN_REQ,
  type ConnCreditRecord, type ConnDataRecord, type ConnRecord,
} from './records.js'
import { UdpSeqpacketConnection, UdpSeqpacketListener } from './seqpacket.js'

export type ConnectionRecord = ConnRecord | ConnCreditRecord | ConnDataRecord

export class UdpConnections {
  private readonly endpoints: Endpoints<Endpoint>
  private readonly out: Outbound
  private readonly newConnection: () => UdpSeqpacketConnection
  /** Connects waiting for an answer, with the node they wait for. */
  private readonly pending = new PendingConnects<UdpSeqpacketConnection, number>()

  /** `newConnection`: a connection end of this node, in its endpoints. */
  constructor(endpoints: Endpoints<Endpoint>, out: Outbound, newConnection: () => UdpSeqpacketConnection) {
    this.endpoints = endpoints
    this.out = out
    this.newConnection = newConnection
  }

  /** Connect to the listener at `target` (resolved from `dest` by the router). */
  connect(dest: Destination, target: SocketAddress, timeoutMs: number): Promise<UdpSeqpacketConnection> {
    const client = this.newConnection()
    const connected = this.pending.start(client, dest, timeoutMs, target.node)
    this.out.send(target.node, { kind: R_CONN_REQ, dstRef: target.ref, srcRef: client.address.ref })
    return connected
  }

  /** The client's connect failed or was given up. */
  fail(client: UdpSeqpacketConnection, err: Error): void {
    this.pending.fail(client, err)
  }

  /** A listener of this node refuses `client`. */
  refuse(client: SocketAddress, listenerRef: number): void {
    this.out.send(client.node, { kind: R_CONN_REFUSE, dstRef: client.ref, srcRef: listenerRef })
  }

  /** A listener of this node accepts `client`: the server end, answered before the application sees it. */
  accept(client: SocketAddress): UdpSeqpacketConnection {
    const server = this.newConnection()
    server.established(client)
    this.out.send(client.node, { kind: R_CONN_ACCEPT, dstRef: client.ref, srcRef: server.address.ref })
    return server
  }

  received(from: number, rec: ConnectionRecord): void {
    switch (rec.kind) {
      case R_CONN_REQ: {
        const l = this.endpoints.get(rec.dstRef)
        if (l instanceof UdpSeqpacketListener && !l.closed) l.offer({ node: from, ref: rec.srcRef })
        else this.refuse({ node: from, ref: rec.srcRef }, rec.dstRef)
        return
      }
      case R_CONN_ACCEPT: {
        const c = this.endpoints.get(rec.dstRef)
        const connected = c instanceof UdpSeqpacketConnection ? this.pending.accept(c) : undefined
        if (!connected || !(c instanceof UdpSeqpacketConnection)) return this.abort(from, rec)
        c.established({ node: from, ref: rec.srcRef })
        connected()
        return
      }
      case R_CONN_REFUSE: {
        const c = this.endpoints.get(rec.dstRef)
        const dest = c instanceof UdpSeqpacketConnection ? this.pending.destOf(c) : undefined
        if (dest) this.fail(c as UdpSeqpacketConnection, new ConnectionRefusedError(dest))
        return
      }
      default: {
        const c = this.endpoints.get(rec.dstRef)
        const p = c instanceof UdpSeqpacketConnection ? c.peerIfAny : undefined
        if (!(c instanceof UdpSeqpacketConnection) || !p || p.node !== from || p.ref !== rec.srcRef) {
          if (rec.kind === R_CONN_DATA) this.abort(from, rec)
          return
        }
        if (rec.kind === R_CONN_DATA) c.deliver({ message: { data: rec.data, from: { node: from, ref: rec.srcRef } } })
        else if (rec.kind === R_CONN_CREDIT) c.credit(rec.count)
        else if (rec.kind === R_CONN_END) c.deliver({ end: undefined })
        else c.deliver({ end: new PeerLostError('NO_PORT') })
      }
    }
  }

  /** `node`'s link went down: its connections and the connects waiting for it end. */
  nodeDown(node: number): void {
    const lost = () => new PeerLostError('NO_NODE')
    for (const e of this.endpoints.list()) {
      if (e instanceof UdpSeqpacketConnection && e.peerIfAny?.node === node) e.deliver({ end: lost() })
    }
    this.pending.failWhere(target => target === node, lost)
  }

  /** The node is closing: every connect still waiting fails. */
  reset(): void {
    this.pending.failWhere(() => true, () => new PeerLostError('RESET'))
  }

  /** The end `rec` was for does not know its sender: tell the sender its peer is gone. */
  private abort(from: number, rec: ConnectionRecord): void {
    this.out.send(from, { kind: R_CONN_ABORT, dstRef: rec.srcRef, srcRef: rec.dstRef })
  }
}
