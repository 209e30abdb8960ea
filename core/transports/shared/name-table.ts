// A name table as TIPC keeps it: bindings of sockets to service ranges, by
// type, in binding order (one table for RDM sockets and listeners alike).
// The memory network holds the whole cluster's in one table and looks up
// from each node's point of view; a udp node holds its own view (its
// bindings and those its peers announced). Both pass that view as a filter.
import { overlaps, sameRange, type Scope, type ServiceRange, type SocketAddress } from '../../transport-contract/address.js'

export interface NameBinding {
  range: ServiceRange
  scope: Scope
  socket: SocketAddress
}

/** Cluster-scope bindings are seen everywhere, node-scope bindings only on their own node. */
export function visibleFrom(node: number, b: NameBinding): boolean {
  return b.scope === 'cluster' || b.socket.node === node
}

/** `b` is bound to `instance` (of its type) and `filter`, if any, accepts it. */
function covers<B extends NameBinding>(b: B, instance: number, filter: ((b: B) => boolean) | undefined): boolean {
  return b.range.lower <= instance && instance <= b.range.upper && (filter === undefined || filter(b))
}

export class NameTable<B extends NameBinding = NameBinding> {
  private readonly byType = new Map<number, B[]>()
  /** Round-robin position per type, then instance: TIPC rotates over the matching bindings. */
  private readonly nextIndex = new Map<number, Map<number, number>>()
  #version = 0

  /** Changes with every binding added or removed: a lookup remembered at one version holds while it stays. */
  get version(): number {
    return this.#version
  }

  add(b: B): void {
    this.#version++
    const list = this.byType.get(b.range.type)
    if (list) list.push(b)
    else this.byType.set(b.range.type, [b])
  }

  /** Remove the binding of this socket, range and scope (a socket has at most one); returns it. */
  remove(socket: SocketAddress, range: ServiceRange, scope: Scope): B | undefined {
    const list = this.byType.get(range.type)
    if (!list) return undefined
    const i = list.findIndex(b => b.socket.node === socket.node && b.socket.ref === socket.ref && b.scope === scope && sameRange(b.range, range))
    if (i < 0) return undefined
    this.#version++
    const [b] = list.splice(i, 1)
    if (list.length === 0) this.byType.delete(range.type)
    return b
  }

  /** Remove every binding of a node's sockets (the node is gone); returns them. */
  removeNode(node: number): B[] {
    const removed: B[] = []
    for (const [type, list] of this.byType) {
      const kept = list.filter(b => {
        if (b.socket.node !== node) return true
        removed.push(b)
        return false
      })
      if (kept.length === 0) this.byType.delete(type)
      else this.byType.set(type, kept)
    }
    if (removed.length > 0) this.#version++
    return removed
  }

  /** Bindings overlapping `range` (that `filter` accepts), in binding order. */
  overlapping(range: ServiceRange, filter?: (b: B) => boolean): B[] {
    const list = this.byType.get(range.type)
    if (!list) return []
    return list.filter(b => overlaps(b.range, range) && (!filter || filter(b)))
  }

  /** Bindings of one node's sockets. */
  ofNode(node: number): B[] {
    const out: B[] = []
    for (const list of this.byType.values()) for (const b of list) if (b.socket.node === node) out.push(b)
    return out
  }

  /**
   * The binding an anycast to {type, instance} goes to, or undefined.
   * `commit` advances the round-robin; a send that turns out to be congested
   * peeks without committing, so its retry goes to the same socket.
   *
   * Performance: one per anycast message. Counting the matches and then
   * walking to the chosen one allocates nothing (a filtered array and a
   * string key per call were 12% of a 64 B sender's profile).
   */
  anycast(type: number, instance: number, commit: boolean, filter?: (b: B) => boolean): B | undefined {
    const list = this.byType.get(type)
    if (!list) return undefined
    let count = 0
    for (const b of list) if (covers(b, instance, filter)) count++
    if (count === 0) return undefined
    const index = this.position(type, instance)
    if (commit) this.setPosition(type, instance, index + 1)
    let skip = index % count
    for (const b of list) {
      if (!covers(b, instance, filter)) continue
      if (skip === 0) return b
      skip--
    }
    return undefined
  }

  /** The anycast to {type, instance} was taken: the round-robin moves on (anycast() peeked). */
  advance(type: number, instance: number): void {
    this.setPosition(type, instance, this.position(type, instance) + 1)
  }

  private position(type: number, instance: number): number {
    return this.nextIndex.get(type)?.get(instance) ?? 0
  }

  private setPosition(type: number, instance: number, index: number): void {
    let byInstance = this.nextIndex.get(type)
    if (byInstance === undefined) {
      byInstance = new Map()
      this.nextIndex.set(type, byInstance)
    }
    byInstance.set(instance, index)
  }

  /** Each node (once) with a binding overlapping `range`: where a multicast goes. */
  nodes(range: ServiceRange, filter?: (b: B) => boolean): number[] {
    const nodes = new Set<number>()
    for (const b of this.overlapping(range, filter)) nodes.add(b.socket.node)
    return [...nodes]
  }
}
