// MemoryNetwork: several TIPC "nodes" in one process, deterministic, with
// fault injection. Each open() is a node (node.ts) with its own Transport;
// all of them share one name table, one topology service, one virtual
// clock (scheduler.ts) and the virtual links between them (links.ts). What
// happens to a message is decided by the rules both transports share
// (shared/routing.ts, shared/delivery.ts, shared/returned.ts): anycast
// round-robin, multicast one copy per node fanned out there, EHOSTUNREACH
// when nothing is bound, returned messages with NO_NAME / NO_PORT / NO_NODE
// / OVERLOAD and the first 1024 bytes (docs/transports.md).
import type { SocketAddress } from '../../transport-contract/address.js'
import type { Clock } from '../../transport-contract/clock.js'
import { InvalidArgumentError, TransportClosedError } from '../../transport-contract/errors.js'
import type { ReturnCode } from '../../transport-contract/message.js'
import { NameTable } from '../shared/name-table.js'
import { SeededRandom } from '../shared/prng.js'
import { nameOf, returnedMessage, Returns } from '../shared/returned.js'
import { Topology } from '../shared/topology.js'
import { MemoryConnections } from './connections.js'
import { VirtualLinks } from './links.js'
import { MemoryNode, type NodeFabric } from './node.js'
import { resolveFaults, resolveOptions, type FaultPlan, type MemoryNetworkOptions, type ResolvedOptions } from './options.js'
import { packet, type Packet } from './packet.js'
import { Scheduler } from './scheduler.js'
import { createStats, type MemoryNetworkStats } from './stats.js'
import { MemoryTransport, type MemoryNetworkView } from './transport.js'
import { VirtualClock } from './virtual-clock.js'

export interface MemoryOpenOptions {
  /** This node's id (default: the next free one from firstNode). */
  node?: number
}

export class MemoryNetwork implements MemoryNetworkView {
  readonly stats: MemoryNetworkStats = createStats()
  /** The virtual clock (1 tick = 1 ms), which every node's transport shares as its `clock`. */
  readonly clock: Clock
  private readonly options: ResolvedOptions
  private readonly random: SeededRandom
  private readonly scheduler: Scheduler
  private readonly names = new NameTable()
  private readonly topology: Topology
  private readonly links: VirtualLinks
  private readonly connections: MemoryConnections
  /** What every node is given of the network. */
  private readonly fabric: NodeFabric
  private readonly nodes = new Map<number, MemoryNode>()
  private nextNode: number
  private nextRef = 1
  private incarnations = 0

  constructor(options: MemoryNetworkOptions = {}) {
    this.options = resolveOptions(options)
    this.random = new SeededRandom(this.options.seed)
    this.nextNode = this.options.firstNode
    this.scheduler = new Scheduler(() => this.flush(), () => this.hasWork())
    this.clock = new VirtualClock(this.scheduler)
    this.topology = new Topology(this.names, run => this.scheduler.after(1, run))
    this.links = new VirtualLinks(this.options, this.stats, this.random, this.scheduler, {
      arrive: p => this.arrive(p),
      drained: (from, to) => this.nodes.get(from)?.sockets.drained(to),
    })
    this.connections = new MemoryConnections(this.scheduler, {
      endpointOf: (a, incarnation) => {
        const node = this.nodes.get(a.node)
        return node?.incarnation === incarnation ? node.sockets.endpoints.get(a.ref) : undefined
      },
      incarnationOf: node => this.incarnationOf(node),
      newConnection: node => this.nodes.get(node)!.newConnection(),
    })
    this.fabric = {
      options: this.options,
      stats: this.stats,
      names: this.names,
      topology: this.topology,
      returns: new Returns<Packet>(this.stats, {
        carryBack: (to, p, code, byRef, data, byName) => this.carryBack(to, p, code, byRef, data, byName),
      }),
      links: this.links,
      connections: this.connections,
      allocateRef: () => this.nextRef++,
      liveNodes: () => this.liveNodes,
      incarnationOf: node => this.incarnationOf(node),
      wakeClock: () => this.scheduler.wake(),
      overloadFault: () => this.random.chance(this.options.faults.overload),
      forward: (from, p, to) => this.forward(from, p, to),
      leave: node => this.leave(node),
    }
  }

  /** Add a node to the network; its Transport is ready at once. */
  open(options: MemoryOpenOptions = {}): MemoryTransport {
    let id = options.node
    if (id === undefined) {
      while (this.nodes.has(this.nextNode)) this.nextNode++
      id = this.nextNode++
    } else if (!Number.isInteger(id) || id < 1 || id > 0xffffffff) {
      throw new InvalidArgumentError(`node must be a 32-bit id above 0, got ${String(id)}`)
    } else if (this.nodes.has(id)) {
      throw new InvalidArgumentError(`node ${id} is already up in this network`)
    }
    const node = new MemoryNode(id, ++this.incarnations, this.fabric)
    this.nodes.set(id, node)
    this.topology.nodeUp(id)
    return new MemoryTransport(node, this)
  }

  /** Ids of the nodes up now. */
  get liveNodes(): number[] {
    return [...this.nodes.keys()]
  }

  /** Change the faults injected from now on (the PRNG sequence continues). */
  setFaults(plan: FaultPlan): void {
    this.options.faults = resolveFaults(plan)
  }

  /**
   * Resolves when nothing more can happen on its own: every message on its
   * way has arrived (or been dropped or returned), every ready handler has
   * been given its messages, and every timer of the clock that is still set
   * has fired (virtual time jumps to it). For memory-specific tests; the conformance suite
   * waits for what it expects instead, as it must on real networks.
   */
  settle(): Promise<void> {
    return this.scheduler.settle()
  }

  /**
   * Crash a node: its sockets vanish without a word, its bindings are
   * withdrawn (topology events elsewhere), other nodes see it down, messages
   * on their way to it return NO_NODE (multicast copies excepted), messages
   * it had sent and that had not arrived are lost, and its connections'
   * peers end with PeerLostError('NO_NODE').
   */
  crash(node: number): void {
    const n = this.nodes.get(node)
    if (!n) throw new InvalidArgumentError(`node ${node} is not up in this network`)
    this.stats.crashes++
    this.takeDown(n, new TransportClosedError({ cause: new Error(`node ${node} crashed`) }))
  }

  /** @internal */
  get config(): ResolvedOptions {
    return this.options
  }

  // --- internals ---------------------------------------------------------------

  /** A transport closed: its sockets are closed already, as the application would have. */
  private leave(node: number): void {
    const n = this.nodes.get(node)
    if (n) this.takeDown(n, new TransportClosedError())
  }

  private takeDown(node: MemoryNode, reason: TransportClosedError): void {
    this.nodes.delete(node.id)
    this.connections.nodeDown(node.id, node.sockets.endpoints.list(), reason)
    node.terminate(reason)
    for (const b of this.names.removeNode(node.id)) this.topology.withdrawn(b)
    this.topology.nodeDown(node.id)
  }

  /** A packet at the end of its link: lost if its sender crashed meanwhile, NO_NODE if its node did. */
  private arrive(p: Packet): void {
    if (this.incarnationOf(p.fromNode) !== p.fromIncarnation) {
      this.stats.lostInCrash++
      return
    }
    const node = this.nodes.get(p.toNode)
    if (!node || node.incarnation !== p.toIncarnation) return this.fabric.returns.give(p.fromNode, p, 'NO_NODE', p.dstRef, p.toNode)
    node.sockets.delivery.arrive(p.fromNode, p)
  }

  /** A rerouted anycast goes to a socket on another node at once (the name table is the network's own). */
  private forward(from: number, p: Packet, to: SocketAddress): void {
    const node = this.nodes.get(to.node)!
    const rerouted = packet(p, p.data, p.fromNode, to.node, p.fromIncarnation, node.incarnation)
    rerouted.dstRef = to.ref
    node.sockets.delivery.arrive(from, rerouted)
  }

  /**
   * A returned message goes home a tick later, to the sender's node if it is
   * still the same incarnation: to the sending socket, or (`byName`) to the
   * sockets there bound to the name it was sent to.
   */
  private carryBack(to: number, p: Packet, code: ReturnCode, byRef: number, data: Uint8Array, byName: boolean): void {
    if (code === 'OVERLOAD') this.stats.overloaded++
    const dest = nameOf(p)
    const message = returnedMessage({ node: p.toNode, ref: byRef }, code, data, dest)
    this.scheduler.after(1, () => {
      const home = this.nodes.get(to)
      if (home?.incarnation !== p.fromIncarnation) return
      if (byName && dest !== undefined) home.sockets.delivery.homeByName(message, dest, p.toNode)
      else home.sockets.delivery.home(p.srcRef, message, p.toNode)
    })
  }

  /** After each tick: every node hands over what its endpoints hold. */
  private flush(): void {
    for (const node of this.nodes.values()) node.sockets.endpoints.flush()
  }

  private hasWork(): boolean {
    for (const node of this.nodes.values()) if (node.sockets.endpoints.hasWork) return true
    return false
  }

  private incarnationOf(node: number): number {
    return this.nodes.get(node)?.incarnation ?? -1
  }
}
