// One sequenced message of a publisher stream while it is in flight: what
// was sent, to which targets, and with which `prev` per subscriber, so that
// any copy of it (the first multicast, a unicast resend, a re-anycast to a
// queue group or its pinned member) can be rebuilt with the same envelope but its own attempt and
// receivers. A large message is several of these (one per chunk).
import type { Destination, ServiceAddress, ServiceRange, SocketAddress } from '../transport-contract/index.js'
import type { GroupPin } from './group-pin.js'
import { encodeData } from './envelope-encode.js'
import { borrowedEnvelopeSpace } from './envelope-slab.js'
import type { ChunkInfo, Receiver } from './envelope-types.js'
import type { TargetId } from './outcome.js'

/**
 * Where a target's copies go: a subscriber socket (unicast), or a queue group
 * (anycast; a chunked message to its pinned member, group-pin.ts).
 */
export type TargetRoute = { socket: SocketAddress } | { groupType: number; pin?: GroupPin }

export interface PublishCopy {
  readonly seq: number
  readonly topicHash: bigint
  readonly stream: bigint
  readonly timestamp: number
  readonly codecId: Uint8Array
  readonly key: Uint8Array | undefined
  readonly keyInstance: number
  readonly ackRequested: boolean
  readonly chunk: ChunkInfo | undefined
  readonly payload: Uint8Array
  /** The first copy's name: the topic's range, or the key's one-instance range. */
  readonly range: ServiceRange
  /** Every target of this seq and how to reach it. */
  readonly routes: ReadonlyMap<TargetId, TargetRoute>
  /**
   * Per socket target, in the order `routes` lists them: the previous seq of
   * this stream sent to it (0: none). An array, not a Map per message; empty
   * for ack 'none' (no receiver is named).
   */
  readonly prevs: number[]
}

/** A socket target and its address: the socket entries of a message's routes as a list. */
export interface SocketRoute {
  readonly id: TargetId
  readonly socket: SocketAddress
}

/** The socket targets of `routes`, in their order (the order of a copy's prevs and receivers). */
export function socketRoutes(routes: ReadonlyMap<TargetId, TargetRoute>): SocketRoute[] {
  const out: SocketRoute[] = []
  for (const [id, route] of routes) if ('socket' in route) out.push({ id, socket: route.socket })
  return out
}

/**
 * The bytes of a copy addressed to these receivers, encoded from the copy
 * itself (it has a data envelope's fields). Borrowed: a large copy's bytes
 * are written over by the next one, so they go straight to a send (the
 * outbox keeps a copy of what it queues).
 */
export function encodeCopy(c: PublishCopy, receivers: readonly Receiver[], attempt: number): Uint8Array {
  return encodeData(c, receivers, attempt, c.payload, borrowedEnvelopeSpace)
}

/** The receiver entry of the `index`th socket target of this copy (in the order of its routes). */
export function receiverAt(c: PublishCopy, index: number, socket: SocketAddress): Receiver {
  return { node: socket.node, ref: socket.ref, prev: c.prevs[index] ?? 0 }
}

/** The prev of socket target `target` in this copy (0: none, or not one of its socket targets). A scan: for a resend or a gap, not per copy. */
export function prevOf(c: PublishCopy, target: TargetId): number {
  let index = 0
  for (const [id, route] of c.routes) {
    if (!('socket' in route)) continue
    if (id === target) return c.prevs[index] ?? 0
    index++
  }
  return 0
}

/**
 * The instance an unkeyed message is sent to a queue group at. One fixed
 * instance, not a random one: the round robin over a group's members is kept
 * per name looked up (per {type, instance} on memory and udp), so a fresh
 * instance per message would start it over at the first member every time.
 */
export const UNKEYED_GROUP_INSTANCE = 0

/** The instance a copy goes to in a queue group's type: the key's instance, or UNKEYED_GROUP_INSTANCE for an unkeyed message. */
export function groupInstance(c: Pick<PublishCopy, 'key' | 'keyInstance'>): number {
  return c.key === undefined ? UNKEYED_GROUP_INSTANCE : c.keyInstance
}

/** A queue group's anycast name for this copy. */
export function groupName(c: PublishCopy, groupType: number): ServiceAddress {
  return { type: groupType, instance: groupInstance(c) }
}

/** Where a copy for a queue group goes: the message's pinned member, or the group's anycast name. */
export function groupDestination(c: PublishCopy, route: { groupType: number; pin?: GroupPin }): Destination {
  return route.pin?.member ?? groupName(c, route.groupType)
}
