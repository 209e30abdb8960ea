// The members of a topic's queue groups with the instances each binds, for
// pinning a chunked message to one member (publisher.ts): the group directory
// (group-set.ts) says which groups exist and which sockets are members, but
// not what a member binds (a member may consume one key or a partition of the
// group's type), and a message must go to a member that covers its instance.
// So while a group exists, its own type is watched through the topology
// service: one subscription per group, started when the directory reports the
// group and cancelled when it goes. Until the watch reports a member (its
// events come asynchronously) the group has no member to pin; the publisher
// then falls back to anycast.
import type { SocketAddress, TopologyApi, TopologySubscription } from '../transport-contract/index.js'
import { U32_MAX } from '../transport-contract/index.js'
import { socketKey, SubscriberSet } from './subscriber-set.js'

interface Watched {
  readonly members: SubscriberSet
  readonly subscription: TopologySubscription
  /** Round-robin position: picks spread over the members as anycast would. */
  turn: number
}

export class GroupMembers {
  private readonly groups = new Map<number, Watched>()

  constructor(private readonly topology: TopologyApi, private readonly now: () => number) {}

  /** Start watching the bindings of `group`'s type (the directory reported the group). Idempotent. */
  watch(group: number): void {
    if (this.groups.has(group)) return
    const members = new SubscriberSet()
    const subscription = this.topology.subscribe({ type: group, lower: 0, upper: U32_MAX }, event => {
      members.apply(event, this.now())
    }, { filter: 'ports' })
    this.groups.set(group, { members, subscription, turn: 0 })
  }

  /** Stop watching `group` (its last directory entry was withdrawn). */
  unwatch(group: number): void {
    this.groups.get(group)?.subscription.cancel()
    this.groups.delete(group)
  }

  /**
   * A member of `group` with a binding that covers `instance`, not among
   * `exclude` (socketKeys of members that returned a copy): the next one in
   * turn. Undefined when none is known.
   */
  pick(group: number, instance: number, exclude: ReadonlySet<string>): SocketAddress | undefined {
    const watched = this.groups.get(group)
    if (watched === undefined) return undefined
    const candidates = watched.members.covering(instance).filter(s => !exclude.has(socketKey(s)))
    if (candidates.length === 0) return undefined
    watched.turn = (watched.turn + 1) % candidates.length
    return candidates[watched.turn]
  }

  close(): void {
    for (const watched of this.groups.values()) watched.subscription.cancel()
    this.groups.clear()
  }
}
