// A udp node seen as a Transport: the contract's checks, then the node.
import dgram from 'node:dgram'
import { checkScope, toRange, type ServiceAddress, type ServiceRange, type SocketAddress } from '../../transport-contract/address.js'
import type { Capabilities } from '../../transport-contract/capabilities.js'
import { TransportClosedError } from '../../transport-contract/errors.js'
import { MAX_MESSAGE_SIZE } from '../../transport-contract/limits.js'
import type { RdmSocket } from '../../transport-contract/rdm-socket.js'
import type { ConnectOptions, ListenOptions, SeqpacketConnection, SeqpacketListener } from '../../transport-contract/seqpacket.js'
import type { BindingEvent, NodeEvent, SubscribeOptions, TopologySubscription } from '../../transport-contract/topology.js'
import type { Transport } from '../../transport-contract/transport.js'
import { connectTimeout } from '../shared/pending-connects.js'
import { checkConnectDestination } from '../shared/routing.js'
import { UdpNode } from './node.js'
import { resolveUdpOptions, type ResolvedUdpOptions, type UdpDiscovery, type UdpTransportOptions } from './options.js'
import type { UdpStats } from './stats.js'

export function udpCapabilities(o: ResolvedUdpOptions): Capabilities {
  return Object.freeze({
    groups: false, crypto: o.key !== undefined, maxMessageSize: MAX_MESSAGE_SIZE, nodeScope: true, faultInjection: true,
    // node:dgram's datagrams are always the application's: only the native socket lends.
    borrowedReceive: o.borrowedReceive !== undefined && o.socket === 'native',
  })
}

export class UdpTransport implements Transport {
  readonly kind = 'udp'
  readonly node: number
  readonly capabilities: Capabilities
  private readonly core: UdpNode

  private constructor(core: UdpNode) {
    this.core = core
    this.node = core.id
    this.capabilities = udpCapabilities(core.options)
  }

  /** Open a node: bind its socket, start discovery. */
  static async open(options: UdpTransportOptions = {}): Promise<UdpTransport> {
    return new UdpTransport(await UdpNode.open(resolveUdpOptions(options)))
  }

  get closed(): boolean {
    return this.core.closed
  }

  /** The UDP port this node's socket is bound to. */
  get port(): number {
    return this.core.port
  }

  /** The cluster id this node belongs to (TIPC's netid): packets of other clusters are ignored. */
  get cluster(): number {
    return this.core.options.cluster
  }

  /** How this node finds its peers: its socket, multicast beacons, unicast peers, timings, whether a key seals packets. */
  get discovery(): UdpDiscovery {
    const o = this.core.options
    return {
      address: o.address, port: this.core.port,
      multicast: o.discovery === false ? false : { ...o.discovery },
      peers: o.peers.map(p => ({ ...p })),
      beaconMs: o.beaconMs, toleranceMs: o.toleranceMs, keyed: o.key !== undefined,
    }
  }

  /** @internal tests: this node's session (a forged packet names it). */
  get session(): number {
    return this.core.session
  }

  /** @internal tests: the last error a packet handler caught that was not a bad packet (none, in a healthy node). */
  get lastInternalError(): unknown {
    return this.core.lastInternalError
  }

  /** @internal tests: a datagram handled as if it arrived on the socket (the fuzz test's forged packets). */
  receivePacket(msg: Buffer, from: { address: string; port: number }): void {
    this.core.receive(msg, from)
  }

  /** Counters per node and per link (a copy). */
  stats(): UdpStats {
    return this.core.snapshot()
  }

  rdm(): RdmSocket {
    this.checkOpen()
    return this.core.newRdm()
  }

  listen(name: ServiceAddress | ServiceRange, options: ListenOptions = {}): SeqpacketListener {
    this.checkOpen()
    return this.core.newListener(toRange(name), checkScope(options.scope ?? 'cluster'))
  }

  async connect(dest: ServiceAddress | SocketAddress, options: ConnectOptions = {}): Promise<SeqpacketConnection> {
    this.checkOpen()
    const d = checkConnectDestination(dest)
    const timeoutMs = connectTimeout(options.timeoutMs)
    return this.core.connect(d, this.core.sockets.router.connectTarget(d), timeoutMs)
  }

  subscribe(range: ServiceRange, handler: (event: BindingEvent) => void, options?: SubscribeOptions): TopologySubscription {
    this.checkOpen()
    return this.core.topology.subscribe(this.node, range, handler, options)
  }

  watchNodes(handler: (event: NodeEvent) => void): TopologySubscription {
    this.checkOpen()
    return this.core.topology.watchNodes(this.node, this.core.liveNodes, handler)
  }

  close(): Promise<void> {
    return this.core.close()
  }

  /** Vanish without telling the peers, as a killed process would (tests, drills). */
  crash(): void {
    this.core.crash()
  }

  private checkOpen(): void {
    if (this.core.closed) throw new TransportClosedError()
  }
}

/** Whether a UDP socket can be bound on loopback here (the transport's probe). */
export async function probeUdp(): Promise<{ available: true; detail: string } | { available: false; reason: string; code?: string }> {
  try {
    const s = dgram.createSocket('udp4')
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject)
      s.bind(0, '127.0.0.1', () => resolve())
    })
    await new Promise<void>(resolve => s.close(() => resolve()))
    return { available: true, detail: 'a UDP socket binds on 127.0.0.1; discovery by multicast on loopback' }
  } catch (err) {
    return { available: false, reason: `cannot bind a UDP socket on 127.0.0.1: ${(err as Error).message}`, code: (err as NodeJS.ErrnoException).code ?? 'ERR_UDP' }
  }
}
