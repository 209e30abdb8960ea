// The topology service: who is bound where, and which nodes are up. Bindings
// (and nodes) that exist when a subscription starts are reported at once, so
// a subscriber never has to race a separate query against the events.
//
// Events are not ordered with data. On kernel TIPC a withdrawal reaches other
// nodes by the broadcast link while the socket's messages take the unicast
// link, so a 'withdrawn' event may come before messages the socket sent just
// before it closed (the memory network's `delay` fault does the same). A
// message unicast to the gone socket comes back NO_PORT on that unicast
// link, behind them: the barrier the topic layer waits for.
import type { ServiceRange, SocketAddress } from './address.js'

export interface BindingEvent {
  kind: 'published' | 'withdrawn'
  /** The binding's whole range (TIPC reports it unclipped, even where it reaches outside the subscription). */
  range: ServiceRange
  /** The bound socket. */
  socket: SocketAddress
  /** The node of the bound socket (socket.node). */
  node: number
  /** The range this subscription asked for. */
  subscription: ServiceRange
}

export interface NodeEvent {
  kind: 'up' | 'down'
  node: number
}

export interface SubscribeOptions {
  /**
   * 'ports' (default): an event per binding. 'service': only the first
   * binding of each distinct range (published) and its last withdrawal.
   */
  filter?: 'ports' | 'service'
}

export interface TopologySubscription {
  /** Stop the events of this subscription. Idempotent. */
  cancel(): void
}

export interface TopologyApi {
  /**
   * Events for bindings of user types (>= 64) overlapping `range`, as seen
   * from this node: cluster-scope bindings everywhere, node-scope ones here.
   */
  subscribe(range: ServiceRange, handler: (event: BindingEvent) => void, options?: SubscribeOptions): TopologySubscription
  /** Node up/down; nodes up now (this one included) are reported at once. */
  watchNodes(handler: (event: NodeEvent) => void): TopologySubscription
}
