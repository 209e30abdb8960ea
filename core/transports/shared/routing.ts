// Where an RDM send goes, by TIPC's rules, for both transports: the
// destination is resolved in this node's view of the name table into the
// message (shared/rdm-data.ts) and the nodes it must reach, then sent all or
// nothing, then handed to the carrier (udp: records on links; memory:
// packets on the virtual clock).
//
//   socket address  unicast to that socket; its node unknown: NoRouteError
//   range           multicast: one copy per node with an overlapping binding
//                   visible from here (the receiving node fans it out)
//   service address anycast: the next visible binding, round-robin
//   nothing bound   NoRouteError, synchronously: nothing sent, nothing returned
//
// A full link to any of the nodes refuses the whole send (send() returns
// false, the sender waits in blocked-senders.ts); the anycast round-robin
// moves on only when a send is taken, so a retry goes to the same socket.
// Connects resolve their destination here too.
import {
  checkDestination, isServiceRange, isSocketAddress,
  type Destination, type ServiceAddress, type ServiceRange, type SocketAddress,
} from '../../transport-contract/address.js'
import { InvalidArgumentError, NoRouteError } from '../../transport-contract/errors.js'
import type { BlockedSender, BlockedSenders } from './blocked-senders.js'
import { visibleFrom, type NameBinding, type NameTable } from './name-table.js'
import { MODE_ANYCAST, MODE_MULTICAST, MODE_UNICAST, type RdmData } from './rdm-data.js'

/** What the router needs of the carrier, about the links from this node. */
export interface RouteCarrier {
  /** Whether `node` is up, as seen from here (this node always is). */
  reaches(node: number): boolean
  /** Whether the link to `node` is full now (never asked about this node: its own traffic never congests). */
  full(node: number): boolean
  /** A send was refused because the link to `node` is full. */
  refused(node: number): void
  /**
   * Carry `msg` to each of `nodes` (this one included). `msg.data` is the
   * caller's buffer: the carrier copies it (the caller may reuse it at once).
   */
  transmit(msg: RdmData, nodes: readonly number[]): void
}

export interface RdmSender extends BlockedSender {
  readonly address: SocketAddress
}

export class Router<S extends RdmSender> {
  private readonly node: number
  private readonly names: NameTable
  private readonly blocked: BlockedSenders<S>
  private readonly carrier: RouteCarrier
  /** Bound once: the filter of every lookup from this node. */
  private readonly visible: (b: NameBinding) => boolean
  /**
   * The nodes of the last multicast's range, while the name table has not
   * changed: a publisher multicasts to the same range message after message,
   * and the lookup (a filtered list, a Set and an array per send) was the
   * largest allocation of a 64 B topic publish on the transport's side.
   */
  private readonly multicast = { version: -1, type: 0, lower: 0, upper: 0, nodes: [] as readonly number[] }

  /** `names`: the name table as this node sees it. */
  constructor(node: number, names: NameTable, blocked: BlockedSenders<S>, carrier: RouteCarrier) {
    this.node = node
    this.names = names
    this.blocked = blocked
    this.carrier = carrier
    this.visible = b => visibleFrom(node, b)
  }

  /** Send `data` (already size-checked) from `sender` to `dest`: true when taken, false when a link is full. */
  send(sender: S, dest: Destination, data: Uint8Array): boolean {
    const d = checkDestination(dest)
    const srcRef = sender.address.ref
    let msg: RdmData
    let nodes: readonly number[]
    if (isSocketAddress(d)) {
      if (!this.carrier.reaches(d.node)) throw new NoRouteError(d)
      nodes = [d.node]
      msg = { mode: MODE_UNICAST, srcRef, dstRef: d.ref, type: 0, lower: 0, upper: 0, data }
    } else if (isServiceRange(d)) {
      nodes = this.multicastNodes(d)
      if (nodes.length === 0) throw new NoRouteError(d)
      msg = { mode: MODE_MULTICAST, srcRef, dstRef: 0, type: d.type, lower: d.lower, upper: d.upper, data }
    } else {
      const b = this.names.anycast(d.type, d.instance, false, this.visible)
      if (!b) throw new NoRouteError(d)
      nodes = [b.socket.node]
      msg = { mode: MODE_ANYCAST, srcRef, dstRef: b.socket.ref, type: d.type, lower: d.instance, upper: d.instance, data }
    }
    for (const n of nodes) {
      if (n !== this.node && this.carrier.full(n)) {
        this.carrier.refused(n)
        this.blocked.block(sender, n)
        return false
      }
    }
    if (msg.mode === MODE_ANYCAST) this.names.advance(msg.type, msg.lower)
    this.carrier.transmit(msg, nodes)
    return true
  }

  /** Each node with a binding overlapping `range` that this node sees: remembered until the name table changes. */
  private multicastNodes(range: ServiceRange): readonly number[] {
    const c = this.multicast
    const version = this.names.version
    if (c.version !== version || c.type !== range.type || c.lower !== range.lower || c.upper !== range.upper) {
      c.nodes = this.names.nodes(range, this.visible)
      c.version = version
      c.type = range.type
      c.lower = range.lower
      c.upper = range.upper
    }
    return c.nodes
  }

  /** The socket a connect to `dest` (checkConnectDestination) goes to; an anycast commits its round-robin. */
  connectTarget(dest: ServiceAddress | SocketAddress): SocketAddress {
    if (isSocketAddress(dest)) {
      if (!this.carrier.reaches(dest.node)) throw new NoRouteError(dest)
      return dest
    }
    const b = this.names.anycast(dest.type, dest.instance, true, this.visible)
    if (!b) throw new NoRouteError(dest)
    return b.socket
  }
}

/** A connect's destination, checked: a service address or a socket address (not a range). */
export function checkConnectDestination(dest: unknown): ServiceAddress | SocketAddress {
  const d = checkDestination(dest)
  if (isServiceRange(d)) throw new InvalidArgumentError('connect takes a service address or a socket address, not a range')
  return d
}
