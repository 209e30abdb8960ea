// Presence for one topic: who subscribes, where in the key space, and which
// queue groups consume it, as the transport's topology service reports them
// (existing bindings at once, then every change). What a publisher asks it:
// which targets a message to an instance (keyed) or to the whole range
// (unkeyed) expects, so it knows whose acks to wait for; and what an
// application asks it: joined / left events, and whenSubscribed(n), which
// removes the late-joiner loss of a publish before anyone listens. For
// queue groups it also knows the members and what each binds
// (group-members.ts), so a chunked message can be pinned to one member.
import { U32_MAX, type Clock, type SocketAddress, type TopologyApi, type TopologySubscription } from '../transport-contract/index.js'
import { PresenceClosedError } from './errors.js'
import { GroupMembers } from './group-members.js'
import { GroupSet, type GroupEvent, type QueueGroup } from './group-set.js'
import { Listeners, type Listening } from './listeners.js'
import { SubscribedWaiters, type WhenSubscribedOptions } from './subscribed-waiters.js'
import { SubscriberSet, type Subscriber, type SubscriberEvent } from './subscriber-set.js'

/** The service types of one topic (topicType(name) and groupDirectoryType(name)). */
export interface TopicTypes {
  type: number
  groupDirectoryType: number
}

export type PresenceEvent = SubscriberEvent | GroupEvent

/** The targets a message expects acks from: subscriber sockets, and queue groups (one member each). */
export interface Targets {
  readonly sockets: readonly SocketAddress[]
  readonly groups: readonly number[]
}

export class TopicPresence {
  readonly types: TopicTypes
  private readonly clock: Clock
  private readonly subscribers = new SubscriberSet()
  private readonly groups = new GroupSet()
  private readonly members: GroupMembers
  private readonly listeners = new Listeners<PresenceEvent>()
  private readonly waiters: SubscribedWaiters
  private readonly subscriptions: TopologySubscription[]
  private closed = false
  /** targetsFor(undefined) until the next binding event: every unkeyed publish asks for it. */
  private unkeyed: Targets | undefined

  /** Starts watching at once; the bindings that exist now are reported as they are known (joined events). */
  constructor(topology: TopologyApi, types: TopicTypes, clock: Clock) {
    this.types = types
    this.clock = clock
    this.waiters = new SubscribedWaiters(clock, () => this.subscribers.size)
    this.members = new GroupMembers(topology, () => this.clock.now())
    const whole = (type: number) => ({ type, lower: 0, upper: U32_MAX })
    this.subscriptions = [
      topology.subscribe(whole(types.type), event => {
        this.unkeyed = undefined
        const change = this.subscribers.apply(event, this.clock.now())
        if (!change) return
        if (change.kind === 'joined') this.waiters.check()
        this.listeners.emit(change)
      }, { filter: 'ports' }),
      topology.subscribe(whole(types.groupDirectoryType), event => {
        this.unkeyed = undefined
        const change = this.groups.apply(event, this.clock.now())
        if (change === undefined) return
        if (change.kind === 'group-joined') this.members.watch(change.group)
        else this.members.unwatch(change.group)
        this.listeners.emit(change)
      }, { filter: 'ports' }),
    ]
  }

  /** Subscriber sockets known now. */
  get subscriberCount(): number {
    return this.subscribers.size
  }

  subscriberList(): Subscriber[] {
    return this.subscribers.list()
  }

  groupList(): QueueGroup[] {
    return this.groups.list()
  }

  /**
   * The targets a message expects: to `instance` (a keyed publish), the
   * sockets whose range covers it; undefined (unkeyed, the whole range),
   * every subscriber socket. Every known group either way: a group consumes
   * the whole topic, one member per message. The unkeyed answer is the same
   * object until a binding event changes it, so a publisher can key what it
   * derives from it (its routes) on its identity.
   */
  targetsFor(instance: number | undefined): Targets {
    if (instance === undefined) {
      this.unkeyed ??= { sockets: this.subscribers.sockets(), groups: this.groups.types() }
      return this.unkeyed
    }
    return { sockets: this.subscribers.covering(instance), groups: this.groups.types() }
  }

  /** Whether an unkeyed message has a target now (targetsFor(undefined) is not empty), without building the lists. */
  hasTargets(): boolean {
    return this.subscribers.size > 0 || this.groups.types().length > 0
  }

  /**
   * A member of queue group `group` whose binding covers `instance`, other
   * than those in `exclude` (socketKeys), taken in turn; undefined when
   * presence knows none (yet: a group's members are learnt just after the group).
   */
  groupMember(group: number, instance: number, exclude: ReadonlySet<string> = new Set()): SocketAddress | undefined {
    return this.members.pick(group, instance, exclude)
  }

  /** Joined / left events of subscriber sockets and groups, from now on. */
  onChange(listener: (event: PresenceEvent) => void): Listening {
    return this.listeners.add(listener)
  }

  /**
   * Resolves when at least `n` subscriber sockets are known (at once if they
   * are). Rejects with PresenceTimeoutError after `timeoutMs` of the clock,
   * with the signal's reason if it aborts, with PresenceClosedError on close().
   */
  whenSubscribed(n: number, options?: WhenSubscribedOptions): Promise<void> {
    if (this.closed) return Promise.reject(new PresenceClosedError())
    return this.waiters.wait(n, options)
  }

  /** Stop watching: no more events; pending whenSubscribed promises reject. Idempotent. */
  close(): void {
    if (this.closed) return
    this.closed = true
    for (const s of this.subscriptions) s.cancel()
    this.members.close()
    this.listeners.clear()
    this.waiters.close()
  }
}
