// Addresses, TIPC's vocabulary:
//   service address {type, instance}      - anycast: one of the sockets bound to it
//   service range   {type, lower, upper}  - multicast: every socket bound to an overlapping range
//   socket address  {node, ref}           - unicast: exactly that socket
// Every transport validates the same way, here, before anything is sent, so a
// bad address is the same typed error on tipc, udp and memory.
import {
  RESERVED_TYPES, type Destination, type ServiceAddress, type ServiceRange, type SocketAddress,
} from '../../errors/destination.js'
import { InvalidArgumentError, ReservedTypeError } from './errors.js'

// The address types, TIPC's first user type and the one rendering of a
// destination are declared once, in errors/, for the contract and the binding alike.
export {
  RESERVED_TYPES, formatDestination, type Destination, type ServiceAddress, type ServiceRange, type SocketAddress,
} from '../../errors/destination.js'

/** Where a binding is visible: the whole cluster, or its own node only. */
export type Scope = 'cluster' | 'node'

export const U32_MAX = 0xffffffff

export function isU32(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= U32_MAX
}

export function checkU32(what: string, n: unknown): number {
  if (!isU32(n)) throw new InvalidArgumentError(`${what} must be an integer in [0, 2^32), got ${String(n)}`)
  return n
}

export function checkType(type: unknown): number {
  const t = checkU32('type', type)
  if (t < RESERVED_TYPES) throw new ReservedTypeError(t)
  return t
}

export function checkScope(scope: unknown): Scope {
  if (scope === 'cluster' || scope === 'node') return scope
  throw new InvalidArgumentError(`scope must be 'cluster' or 'node', got ${String(scope)}`)
}

function checkObject(x: unknown, what: string): asserts x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') throw new InvalidArgumentError(`expected ${what}, got ${String(x)}`)
}

export function isSocketAddress(d: Destination): d is SocketAddress {
  return 'ref' in d
}

export function isServiceRange(d: Destination): d is ServiceRange {
  return 'lower' in d
}

/** How a destination is delivered: the three TIPC addressing modes. */
export type Delivery = 'anycast' | 'multicast' | 'unicast'

export function deliveryOf(d: Destination): Delivery {
  return isSocketAddress(d) ? 'unicast' : isServiceRange(d) ? 'multicast' : 'anycast'
}

/** A validated service address or range as a range (an address is [i, i]). */
export function toRange(name: ServiceAddress | ServiceRange): ServiceRange {
  checkObject(name, 'a service address or range')
  const type = checkType(name.type)
  if ('lower' in name) {
    const lower = checkU32('lower', name.lower)
    const upper = checkU32('upper', name.upper)
    if (lower > upper) throw new InvalidArgumentError(`range lower ${lower} is above upper ${upper}`)
    return { type, lower, upper }
  }
  const instance = checkU32('instance', (name as ServiceAddress).instance)
  return { type, lower: instance, upper: instance }
}

export function checkSocketAddress(a: unknown): SocketAddress {
  checkObject(a, 'a socket address')
  return { node: checkU32('node', a.node), ref: checkU32('ref', a.ref) }
}

/** A validated copy of a destination, of the same kind. */
export function checkDestination(dest: unknown): Destination {
  checkObject(dest, 'a destination address')
  if ('ref' in dest) return checkSocketAddress(dest)
  if ('lower' in dest) return toRange(dest as unknown as ServiceRange)
  return { type: checkType(dest.type), instance: checkU32('instance', dest.instance) }
}

export function overlaps(a: ServiceRange, b: ServiceRange): boolean {
  return a.type === b.type && a.lower <= b.upper && b.lower <= a.upper
}

export function sameRange(a: ServiceRange, b: ServiceRange): boolean {
  return a.type === b.type && a.lower === b.lower && a.upper === b.upper
}
