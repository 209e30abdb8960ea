// A chunked message to a queue group goes to one member: a member can only
// reassemble a message if it has every chunk, and an anycast per chunk would
// spread them over the members (round robin). So the publisher pins one
// member that covers the message's instance and sends every chunk, first
// copies and resends, to that member's socket by unicast, naming nobody
// (the member treats it as a group copy: delivers it as it comes and acks).
// The pin sits in the group's route, which all chunks of the message share:
// when the member returns a copy as gone (NO_PORT, NO_NODE, or no route to
// it), the message is pinned to another member and every later resend of
// every chunk goes there (the new member gets them all in time: none is
// acked until the whole message is). With no covering member known, the
// chunks go by anycast as unchunked group copies do, counted in
// stats.groupChunksUnpinned, and the next resend tries to pin again.
import type { SocketAddress } from '../transport-contract/index.js'
import type { TopicPresence } from './presence.js'
import { socketKey } from './subscriber-set.js'

export interface GroupPin {
  /** The member every chunk goes to; undefined: none known, chunks go by anycast. */
  member: SocketAddress | undefined
  /** socketKeys of members that returned a copy of this message as gone: not pinned again. */
  readonly gone: Set<string>
}

/** A pin for a chunked message to `group` at `instance` (its member undefined when none is known). */
export function pinGroup(presence: TopicPresence, group: number, instance: number): GroupPin {
  return { member: presence.groupMember(group, instance), gone: new Set() }
}

/** A pin with no member (a fallback to anycast) tries again, among the members not gone. */
export function retryPin(pin: GroupPin, presence: TopicPresence, group: number, instance: number): void {
  pin.member ??= presence.groupMember(group, instance, pin.gone)
}

/**
 * `member` returned a copy as gone: if it is the pinned one, pin another (or
 * none). Returns whether the pin moved.
 */
export function memberGone(pin: GroupPin, member: SocketAddress, presence: TopicPresence, group: number, instance: number): boolean {
  pin.gone.add(socketKey(member))
  if (pin.member === undefined || socketKey(pin.member) !== socketKey(member)) return false
  pin.member = presence.groupMember(group, instance, pin.gone)
  return true
}

/** Whether `socket` is or was this pin's member (a copy it returns concerns the group). */
export function pinnedTo(pin: GroupPin, socket: SocketAddress): boolean {
  const key = socketKey(socket)
  return pin.gone.has(key) || (pin.member !== undefined && socketKey(pin.member) === key)
}
