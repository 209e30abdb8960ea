// The cluster's name table: every binding of every node, as TIPC keeps it
// (one table for RDM sockets and listeners alike). Lookups are made from a
// node's point of view: cluster-scope bindings are seen everywhere,
// node-scope bindings only on their own node.
import { overlaps, type Scope, type ServiceRange, type SocketAddress } from '../../transport/address.js'

export interface Binding {
  range: ServiceRange
  scope: Scope
  socket: SocketAddress
}

export function visibleFrom(node: number, b: Binding): boolean {
  return b.scope === 'cluster' || b.socket.node === node
}

export class NameTable {
  private readonly byType = new Map<number, Binding[]>()
  /** Round-robin position per {type, instance}: TIPC rotates over the matching bindings. */
  private readonly nextIndex = new Map<string, number>()

  add(b: Binding): void {
    const list = this.byType.get(b.range.type)
    if (list) list.push(b)
    else this.byType.set(b.range.type, [b])
  }

  remove(b: Binding): void {
    const list = this.byType.get(b.range.type)
    if (!list) return
    const i = list.indexOf(b)
    if (i >= 0) list.splice(i, 1)
    if (list.length === 0) this.byType.delete(b.range.type)
  }

  /** Remove every binding of a node's sockets (the node is gone); returns them. */
  removeNode(node: number): Binding[] {
    const removed: Binding[] = []
    for (const [type, list] of this.byType) {
      const kept = list.filter(b => {
        if (b.socket.node !== node) return true
        removed.push(b)
        return false
      })
      if (kept.length === 0) this.byType.delete(type)
      else this.byType.set(type, kept)
    }
    return removed
  }

  /** Bindings overlapping `range` that `node` can see, in binding order. */
  overlapping(node: number, range: ServiceRange): Binding[] {
    return (this.byType.get(range.type) ?? []).filter(b => visibleFrom(node, b) && overlaps(b.range, range))
  }

  /**
   * The binding an anycast to {type, instance} from `node` goes to, or
   * undefined. `commit` advances the round-robin; a send that turns out to be
   * congested peeks without committing, so its retry goes to the same socket.
   */
  anycast(node: number, type: number, instance: number, commit: boolean): Binding | undefined {
    const matches = this.overlapping(node, { type, lower: instance, upper: instance })
    if (matches.length === 0) return undefined
    const key = `${type}:${instance}`
    const index = this.nextIndex.get(key) ?? 0
    if (commit) this.nextIndex.set(key, index + 1)
    return matches[index % matches.length]
  }

  /** Every socket (once each) with a binding overlapping `range`, as seen from `node`. */
  multicast(node: number, range: ServiceRange): SocketAddress[] {
    const seen = new Set<string>()
    const sockets: SocketAddress[] = []
    for (const b of this.overlapping(node, range)) {
      const key = `${b.socket.node}:${b.socket.ref}`
      if (seen.has(key)) continue
      seen.add(key)
      sockets.push(b.socket)
    }
    return sockets
  }
}
