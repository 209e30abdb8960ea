// TIPC's address vocabulary, declared once for every layer (the binding and
// the transport contract re-export these; each validates in its own way):
//   service address {type, instance}      - anycast: one of the sockets bound to it
//   service range   {type, lower, upper}  - multicast: every socket bound to an overlapping range
//   socket address  {node, ref}           - unicast: exactly that socket

export interface ServiceAddress {
  type: number
  instance: number
}

export interface ServiceRange {
  type: number
  lower: number
  upper: number
}

export interface SocketAddress {
  /** The node's 32-bit id. */
  node: number
  /** The socket's 32-bit reference, unique on its node. */
  ref: number
}

export type Destination = ServiceAddress | ServiceRange | SocketAddress

/**
 * Service types below this belong to TIPC itself (topology, node and link
 * state): TIPC_RESERVED_TYPES of <linux/tipc.h>. Defined here because
 * ReservedTypeError's message states it; the binding's tests pin it to the
 * kernel header's value.
 */
export const RESERVED_TYPES = 64

/**
 * A destination as TIPC's tools print it: {type, instance}, {type, lower,
 * upper}, <node:ref>. The one rendering used by every error message.
 */
export function formatDestination(d: Destination): string {
  if ('ref' in d) return `<${d.node >>> 0}:${d.ref >>> 0}>`
  if ('lower' in d) return `{${d.type}, ${d.lower}, ${d.upper}}`
  return `{${d.type}, ${d.instance}}`
}
