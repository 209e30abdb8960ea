// The queue groups of one topic, from the topology service's binding events
// for the topic's group directory type: every member of group g also binds
// {groupDirectoryType, g, g}, so a publisher learns which groups exist (and
// how many members each has) without knowing their names. A group exists
// while it has a member. Pure, like SubscriberSet.
import type { BindingEvent, SocketAddress } from '../transport-contract/index.js'
import { socketKey } from './subscriber-set.js'

/** A queue group as presence knows it: its service type and its member sockets. */
export interface QueueGroup {
  /** The group's service type (groupType(topic, name)): where an anycast to it goes. */
  readonly group: number
  readonly members: number
  /** Clock time at which its first member was reported. */
  readonly since: number
}

/** A group came (its first member) or went (its last member left: `lastMember`, whose withdrawal ended it). */
export type GroupEvent =
  | { kind: 'group-joined'; group: number; at: number }
  | { kind: 'group-left'; group: number; lastMember: SocketAddress; at: number }

interface Entry {
  /** Member socket -> its directory bindings for this group (normally 1). */
  members: Map<string, number>
  since: number
}

export class GroupSet {
  private readonly groups = new Map<number, Entry>()

  /** Apply one directory binding event; returns the group's coming or going, if any. */
  apply(event: BindingEvent, at: number): GroupEvent | undefined {
    // A directory entry names one group: a wider range is not one of ours.
    if (event.range.lower !== event.range.upper) return undefined
    const group = event.range.lower
    const member = socketKey(event.socket)
    let entry = this.groups.get(group)
    if (event.kind === 'published') {
      const isNew = entry === undefined
      if (!entry) this.groups.set(group, entry = { members: new Map(), since: at })
      entry.members.set(member, (entry.members.get(member) ?? 0) + 1)
      return isNew ? { kind: 'group-joined', group, at } : undefined
    }
    const bindings = entry?.members.get(member)
    if (!entry || bindings === undefined) return undefined
    if (bindings > 1) entry.members.set(member, bindings - 1)
    else entry.members.delete(member)
    if (entry.members.size > 0) return undefined
    this.groups.delete(group)
    return { kind: 'group-left', group, lastMember: { ...event.socket }, at }
  }

  list(): QueueGroup[] {
    return [...this.groups].map(([group, e]) => ({ group, members: e.members.size, since: e.since }))
  }

  /** The group types known now. */
  types(): number[] {
    return [...this.groups.keys()]
  }
}
