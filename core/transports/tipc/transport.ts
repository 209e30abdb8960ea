// The tipc transport: the kernel does TIPC; this is the thin mapping of the
// binding onto the Transport contract. The node is the kernel's (or, with
// `netns`, the namespace's): closing the transport closes what it opened
// here, while the node itself stays up for the others.
import { DatagramSocket } from '../../../bindings/index.js'
import {
  MAX_MESSAGE_SIZE, TransportClosedError,
  type BindingEvent, type Capabilities, type ConnectOptions, type ListenOptions, type NodeEvent, type RdmSocket,
  type SeqpacketConnection, type SeqpacketListener, type ServiceAddress, type ServiceRange, type SocketAddress,
  type SubscribeOptions, type TopologySubscription, type Transport,
} from '../../transport-contract/index.js'
import { mapped } from './errors.js'
import { TipcRdmSocket } from './rdm-socket.js'
import { TipcSeqpacketConnection, TipcSeqpacketListener, connect } from './seqpacket.js'
import { TipcTopology } from './topology.js'

export const TIPC_CAPABILITIES: Capabilities = Object.freeze({
  groups: true,
  crypto: false, // TIPC has link encryption, but it is configured per node (tipc node set key), not by us
  maxMessageSize: MAX_MESSAGE_SIZE,
  nodeScope: true,
  faultInjection: false,
  borrowedReceive: false,
})

export interface TipcTransportOptions {
  /** A network namespace (name or path) whose TIPC node this transport acts as. Needs CAP_SYS_ADMIN. */
  netns?: string
}

export class TipcTransport implements Transport {
  readonly kind = 'tipc' as const
  readonly node: number
  readonly capabilities = TIPC_CAPABILITIES
  private closedFlag = false
  private readonly netns: string | undefined
  private readonly sockets = new Set<TipcRdmSocket>()
  private readonly listeners = new Set<TipcSeqpacketListener>()
  private readonly connections = new Set<TipcSeqpacketConnection>()
  private readonly topology: TipcTopology

  constructor(options: TipcTransportOptions = {}) {
    this.netns = options.netns
    // The node id is the first half of any socket address on this node.
    const probe = mapped(() => DatagramSocket.open(options.netns === undefined ? {} : { netns: options.netns }))
    this.node = probe.address().node
    probe.close()
    this.topology = new TipcTopology(this.netns, this.node)
  }

  get closed(): boolean {
    return this.closedFlag
  }

  rdm(): RdmSocket {
    this.checkOpen()
    const socket = new TipcRdmSocket(this.netns, s => this.sockets.delete(s))
    this.sockets.add(socket)
    return socket
  }

  listen(name: ServiceAddress | ServiceRange, options: ListenOptions = {}): SeqpacketListener {
    this.checkOpen()
    const listener = new TipcSeqpacketListener(
      name, options, this.netns,
      c => this.connections.add(c),
      l => this.listeners.delete(l),
      c => this.connections.delete(c),
    )
    this.listeners.add(listener)
    return listener
  }

  async connect(dest: ServiceAddress | SocketAddress, options: ConnectOptions = {}): Promise<SeqpacketConnection> {
    this.checkOpen()
    const connection = await connect(dest, options, this.netns, c => this.connections.delete(c))
    this.connections.add(connection)
    return connection
  }

  subscribe(range: ServiceRange, handler: (event: BindingEvent) => void, options?: SubscribeOptions): TopologySubscription {
    this.checkOpen()
    return this.topology.subscribe(range, handler, options)
  }

  watchNodes(handler: (event: NodeEvent) => void): TopologySubscription {
    this.checkOpen()
    return this.topology.watchNodes(handler)
  }

  /** Closing is synchronous on the kernel (the node itself stays up); the promise is the contract's. */
  close(): Promise<void> {
    if (this.closedFlag) return Promise.resolve()
    this.closedFlag = true
    for (const c of [...this.connections]) c.close()
    for (const l of [...this.listeners]) l.close()
    for (const s of [...this.sockets]) s.close()
    this.topology.close()
    return Promise.resolve()
  }

  private checkOpen(): void {
    if (this.closedFlag) throw new TransportClosedError()
  }
}
