// The subscriber sockets of one topic, from the topology service's binding
// events for the topic's service type: each socket with its ranges (a
// partition of the key space, or the whole of it), its node and since when it
// is known. A socket counts once however many ranges it binds: it joins with
// its first binding and leaves with its last. Pure: the caller feeds events
// and the time they arrived.
import type { BindingEvent, ServiceRange, SocketAddress } from '../transport-contract/index.js'

/** A subscriber socket as presence knows it. */
export interface Subscriber {
  readonly socket: SocketAddress
  readonly node: number
  /** Its bindings in the topic's type, in the order they were published (one entry per binding). */
  readonly ranges: readonly ServiceRange[]
  /** Clock time at which its first binding was reported. */
  readonly since: number
}

/** A subscriber socket came (its first binding) or went (its last binding withdrawn, or its node lost). */
export interface SubscriberEvent {
  kind: 'joined' | 'left'
  subscriber: SocketAddress
  /** The binding that made it join, or the last one withdrawn. */
  range: ServiceRange
  node: number
  /** Clock time of the event. */
  at: number
}

interface Entry {
  socket: SocketAddress
  node: number
  ranges: ServiceRange[]
  since: number
}

export const socketKey = (s: SocketAddress): string => `${s.node}:${s.ref}`

const sameRange = (a: ServiceRange, b: ServiceRange): boolean =>
  a.type === b.type && a.lower === b.lower && a.upper === b.upper

export class SubscriberSet {
  /** By socketKey, in the order they joined. */
  private readonly entries = new Map<string, Entry>()

  /** Subscriber sockets known. */
  get size(): number {
    return this.entries.size
  }

  /** Apply one binding event; returns the join or leave it makes, if any. */
  apply(event: BindingEvent, at: number): SubscriberEvent | undefined {
    const key = socketKey(event.socket)
    const entry = this.entries.get(key)
    if (event.kind === 'published') {
      if (entry) {
        entry.ranges.push(event.range)
        return undefined
      }
      this.entries.set(key, { socket: event.socket, node: event.node, ranges: [event.range], since: at })
      return { kind: 'joined', subscriber: event.socket, range: event.range, node: event.node, at }
    }
    // A withdrawal of a binding never seen (it came and went before the subscription) changes nothing.
    const i = entry ? entry.ranges.findIndex(r => sameRange(r, event.range)) : -1
    if (!entry || i < 0) return undefined
    entry.ranges.splice(i, 1)
    if (entry.ranges.length > 0) return undefined
    this.entries.delete(key)
    return { kind: 'left', subscriber: entry.socket, range: event.range, node: entry.node, at }
  }

  list(): Subscriber[] {
    return [...this.entries.values()].map(e => ({ socket: e.socket, node: e.node, ranges: [...e.ranges], since: e.since }))
  }

  /** Every subscriber socket (an unkeyed publish reaches them all). */
  sockets(): SocketAddress[] {
    return [...this.entries.values()].map(e => e.socket)
  }

  /** The sockets with a binding that covers `instance` (a keyed publish to it reaches exactly them). */
  covering(instance: number): SocketAddress[] {
    const out: SocketAddress[] = []
    for (const e of this.entries.values()) {
      if (e.ranges.some(r => r.lower <= instance && instance <= r.upper)) out.push(e.socket)
    }
    return out
  }
}
