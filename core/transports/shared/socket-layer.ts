// The socket side of a node, as both transports' nodes have it (TIPC's
// socket layer): its endpoints and their flush, the router its sockets'
// sends go through, the delivery its arrivals go through, and the senders a
// full link refused. What the transport's node supplies is how messages
// leave (the RouteCarrier: virtual links, or udp links), when the flush
// runs, and how a binding is announced. It is what an RDM socket asks of
// its node (RdmSocketHost).
import { BlockedSenders } from './blocked-senders.js'
import { Delivery, type DeliveryOptions, type DeliveryStats } from './delivery.js'
import { Endpoints, type Endpoint } from './endpoints.js'
import type { NameBinding, NameTable } from './name-table.js'
import type { RdmData } from './rdm-data.js'
import { BaseRdmSocket, type RdmSocketHost } from './rdm-socket.js'
import type { Returns } from './returned.js'
import { Router, type RouteCarrier } from './routing.js'

export interface SocketLayerParts<M extends RdmData> {
  node: number
  /** The name table as this node sees it. */
  names: NameTable
  returns: Returns<M>
  stats: DeliveryStats
  /** How this node's messages leave it. */
  carrier: RouteCarrier
  /** How a binding of this node's enters the name table (and is announced), and leaves it. */
  bindings: { publish(b: NameBinding): void; withdraw(b: NameBinding): void }
  /** Make sure the endpoints' flush runs soon. */
  scheduleFlush: () => void
  delivery: DeliveryOptions<M>
}

export class SocketLayer<M extends RdmData, E extends Endpoint> implements RdmSocketHost<M> {
  readonly endpoints: Endpoints<E>
  readonly router: Router<BaseRdmSocket<M>>
  readonly delivery: Delivery<M>
  private readonly blocked: BlockedSenders<BaseRdmSocket<M>>
  private readonly bindings: SocketLayerParts<M>['bindings']

  constructor(parts: SocketLayerParts<M>) {
    const { node, names, carrier } = parts
    this.bindings = parts.bindings
    this.endpoints = new Endpoints<E>(parts.delivery.batchSize, parts.scheduleFlush)
    this.blocked = new BlockedSenders(to => carrier.full(to))
    this.router = new Router(node, names, this.blocked, carrier)
    this.delivery = new Delivery<M>(node, names, this.endpoints, parts.returns, parts.stats, parts.delivery)
  }

  publish(binding: NameBinding): void {
    this.bindings.publish(binding)
  }

  withdraw(binding: NameBinding): void {
    this.bindings.withdraw(binding)
  }

  unread(from: number, msg: M, socket: BaseRdmSocket<M>): void {
    this.delivery.unread(from, msg, socket.address.ref)
  }

  isBlocked(socket: BaseRdmSocket<M>): boolean {
    return this.blocked.isBlocked(socket)
  }

  /** The link to `node` has room again (or is gone): the senders waiting for it may send. */
  drained(node: number): void {
    this.blocked.drained(node)
  }

  // An RDM socket asks as BaseRdmSocket<M>: it is one of the E this layer holds.
  wake(e: E | BaseRdmSocket<M>): void {
    this.endpoints.wake(e as E)
  }

  add<T extends E>(e: T): T {
    this.endpoints.add(e)
    return e
  }

  removeEndpoint(e: E | BaseRdmSocket<M>): void {
    this.endpoints.remove(e as E)
    if (e instanceof BaseRdmSocket) this.blocked.forget(e)
  }

  /** The node is gone: forget every endpoint and waiting sender. */
  clear(): void {
    this.endpoints.clear()
    this.blocked.clear()
  }
}
