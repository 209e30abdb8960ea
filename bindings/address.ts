// TIPC addressing, as TIPC users know it:
//   service address {type, instance}       - anycast to one bound socket
//   service range   {type, lower, upper}   - multicast to every overlapping binding
//   socket address  {node, ref}            - unicast to one socket
// Validation happens here, before any syscall, so a bad address is a clear
// error rather than a kernel EINVAL.
import {
  RESERVED_TYPES, type Destination, type ServiceAddress, type ServiceRange, type SocketAddress,
} from '../errors/destination.js'
import { InvalidArgumentError, ReservedTypeError } from './errors.js'
import { AddressKind } from './native.js'

// The address types and TIPC's first user type are declared once, in errors/,
// for the binding and the transport contract alike.
export { RESERVED_TYPES, type Destination, type ServiceAddress, type ServiceRange, type SocketAddress } from '../errors/destination.js'

/** How far a binding is visible: this node only, or the whole cluster. */
export type Scope = 'cluster' | 'node'

const U32_MAX = 0xffffffff

function isU32(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= U32_MAX
}

function checkU32(name: string, n: unknown): number {
  if (!isU32(n)) throw new InvalidArgumentError(`${name} must be an integer in [0, 2^32), got ${String(n)}`)
  return n
}

export function isSocketAddress(d: Destination): d is SocketAddress {
  return 'ref' in d
}

export function isServiceRange(d: Destination): d is ServiceRange {
  return 'lower' in d
}

/**
 * Check a service type; user types start at 64. `allowReserved` is for the
 * topology service's own names (node state 0, topology server 1, link state 2).
 */
export function checkType(type: unknown, allowReserved = false): number {
  const t = checkU32('type', type)
  if (!allowReserved && t < RESERVED_TYPES) throw new ReservedTypeError(t)
  return t
}

/** A service address or range as a range (an address is the range [i, i]). */
export function toRange(name: ServiceAddress | ServiceRange, allowReserved = false): ServiceRange {
  if (name === null || typeof name !== 'object') throw new InvalidArgumentError('expected a service address or range')
  const type = checkType(name.type, allowReserved)
  if ('lower' in name) {
    const lower = checkU32('lower', name.lower)
    const upper = checkU32('upper', name.upper)
    if (lower > upper) throw new InvalidArgumentError(`range lower ${lower} is above upper ${upper}`)
    return { type, lower, upper }
  }
  const instance = checkU32('instance', (name).instance)
  return { type, lower: instance, upper: instance }
}

/** The (kind, a, b, c) encoding the addon takes, validated. */
export type EncodedAddress = readonly [AddressKind, number, number, number]

export function encodeDestination(dest: Destination, allowReserved = false): EncodedAddress {
  if (dest === null || typeof dest !== 'object') throw new InvalidArgumentError('expected a destination address')
  if (isSocketAddress(dest)) {
    return [AddressKind.Socket, checkU32('node', dest.node), checkU32('ref', dest.ref), 0]
  }
  if (isServiceRange(dest)) {
    const r = toRange(dest, allowReserved)
    return [AddressKind.Range, r.type, r.lower, r.upper]
  }
  return [AddressKind.Service, checkType(dest.type, allowReserved), checkU32('instance', dest.instance), 0]
}

export function scopeValue(scope: Scope): number {
  if (scope === 'cluster') return 2 // TIPC_CLUSTER_SCOPE
  if (scope === 'node') return 3 // TIPC_NODE_SCOPE
  throw new InvalidArgumentError(`scope must be 'cluster' or 'node', got ${String(scope)}`)
}

/** TIPC's classic <zone.cluster.node> rendering of a 32-bit node address. */
export function formatNode(node: number): string {
  return `${node >>> 24}.${(node >>> 12) & 0xfff}.${node & 0xfff}`
}
