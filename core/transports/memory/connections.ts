// SEQPACKET in the memory network: everything between two connection ends
// (the connect request, the accept or refusal, messages, credit, the end)
// reaches the other side a tick later on the virtual clock, in the order it
// was sent. As in TIPC, a connect completes when the listener accepts it;
// the accept reply goes before the server's first message. A node that
// crashes takes its messages on their way with it, and its peers end with
// PeerLostError('NO_NODE').
import type { Destination, SocketAddress } from '../../transport-contract/address.js'
import { ConnectionRefusedError, PeerLostError } from '../../transport-contract/errors.js'
import type { ReceivedMessage } from '../../transport-contract/message.js'
import type { Endpoint } from '../shared/endpoints.js'
import { PendingConnects } from '../shared/pending-connects.js'
import type { Scheduler } from './scheduler.js'
import { MemorySeqpacketConnection } from './seqpacket-connection.js'
import { MemorySeqpacketListener } from './seqpacket-listener.js'

/** What connections need to know of the network's nodes. */
export interface ConnectionNodes {
  /** The endpoint at `a`, if its node is still the incarnation given. */
  endpointOf(a: SocketAddress, incarnation: number): Endpoint | undefined
  /** The node's incarnation now; -1 when it is down. */
  incarnationOf(node: number): number
  /** A new connection end of node `node`. */
  newConnection(node: number): MemorySeqpacketConnection
}

export class MemoryConnections {
  private readonly scheduler: Scheduler
  private readonly nodes: ConnectionNodes
  private readonly pending = new PendingConnects<MemorySeqpacketConnection>()

  constructor(scheduler: Scheduler, nodes: ConnectionNodes) {
    this.scheduler = scheduler
    this.nodes = nodes
  }

  /** `client` connects to the listener at `target` (resolved from `dest`). */
  connect(client: MemorySeqpacketConnection, dest: Destination, target: SocketAddress, timeoutMs: number): Promise<MemorySeqpacketConnection> {
    const targetIncarnation = this.nodes.incarnationOf(target.node)
    const connected = this.pending.start(client, dest, timeoutMs, undefined)
    this.scheduler.after(1, () => {
      if (client.isClosed) return
      const listener = this.nodes.endpointOf(target, targetIncarnation)
      if (listener instanceof MemorySeqpacketListener && !listener.closed) listener.offer(client)
      else this.refuse(client)
    })
    return connected
  }

  /** A connect cannot be accepted: tell the client (a tick later, as a reply would). */
  refuse(client: MemorySeqpacketConnection): void {
    const dest = this.pending.destOf(client)
    if (!dest) return
    this.scheduler.after(1, () => this.fail(client, new ConnectionRefusedError(dest)))
  }

  /** A connecting client gave up, timed out, was refused or lost its node: reject its connect. */
  fail(client: MemorySeqpacketConnection, err: Error): void {
    this.pending.fail(client, err)
  }

  /** The listener accepts: make the server end and tell the client. */
  accept(listener: MemorySeqpacketListener, client: MemorySeqpacketConnection): MemorySeqpacketConnection | undefined {
    if (client.isClosed) return undefined
    const connected = this.pending.accept(client)
    if (!connected) return undefined
    const server = this.nodes.newConnection(listener.address.node)
    server.established(client.address)
    const clientIncarnation = this.nodes.incarnationOf(client.address.node)
    // The accept reply is sent before the application sees the connection,
    // so anything the server sends arrives after the client is connected.
    this.scheduler.after(1, () => {
      if (this.nodes.endpointOf(client.address, clientIncarnation) === client && !client.isClosed) {
        client.established(server.address)
        connected()
      } else if (!server.isClosed) {
        server.deliver({ end: new PeerLostError(this.nodes.incarnationOf(client.address.node) === -1 ? 'NO_NODE' : 'NO_PORT') })
      }
    })
    return server
  }

  /** A message or the end, to the peer `to`, in order with what went before. */
  send(from: MemorySeqpacketConnection, to: SocketAddress, item: { message: ReceivedMessage } | { end: undefined }): void {
    const incarnation = this.nodes.incarnationOf(to.node)
    const fromIncarnation = this.nodes.incarnationOf(from.address.node)
    this.scheduler.after(1, () => {
      // A crashed node's messages die with it.
      if (this.nodes.incarnationOf(from.address.node) !== fromIncarnation) return
      const peer = this.nodes.endpointOf(to, incarnation)
      if (peer instanceof MemorySeqpacketConnection) peer.deliver(item)
    })
  }

  /** The peer of `to` is gone: end `to` with PeerLostError(reason). */
  abort(to: SocketAddress, reason: 'NO_PORT' | 'NO_NODE'): void {
    const incarnation = this.nodes.incarnationOf(to.node)
    this.scheduler.after(1, () => {
      const peer = this.nodes.endpointOf(to, incarnation)
      if (peer instanceof MemorySeqpacketConnection) peer.deliver({ end: new PeerLostError(reason) })
    })
  }

  /** The application consumed `n` messages from `sender`: flow-control credit, at once. */
  credit(sender: SocketAddress, n: number): void {
    const e = this.nodes.endpointOf(sender, this.nodes.incarnationOf(sender.node))
    if (e instanceof MemorySeqpacketConnection) e.credit(n)
  }

  /** Node `node` is gone with these endpoints: their peers hear of it, their pending connects fail. */
  nodeDown(node: number, endpoints: readonly Endpoint[], reason: Error): void {
    for (const e of endpoints) {
      if (e instanceof MemorySeqpacketConnection) {
        const peer = e.peerIfAny
        if (peer && peer.node !== node && !e.isClosed) this.abort(peer, 'NO_NODE')
        this.fail(e, reason)
      }
      if (e instanceof MemorySeqpacketListener) for (const client of e.takeBacklog()) this.refuse(client)
    }
  }
}
