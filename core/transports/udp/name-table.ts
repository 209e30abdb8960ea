// This node's view of the cluster's name table: its own bindings (both
// scopes) and the cluster-scope bindings each peer announced over its link.
// Bindings are identified by socket and range, so a peer's withdrawal finds
// the binding it announced.
import { overlaps, sameRange, type Scope, type ServiceRange, type SocketAddress } from '../../transport/address.js'

export interface UdpBinding {
  range: ServiceRange
  scope: Scope
  socket: SocketAddress
}

export class UdpNameTable {
  private readonly byType = new Map<number, UdpBinding[]>()
  private readonly nextIndex = new Map<string, number>()

  add(b: UdpBinding): void {
    const list = this.byType.get(b.range.type)
    if (list) list.push(b)
    else this.byType.set(b.range.type, [b])
  }

  /** Remove the binding of this socket, range and scope; returns it, or undefined. */
  remove(socket: SocketAddress, range: ServiceRange, scope: Scope): UdpBinding | undefined {
    const list = this.byType.get(range.type)
    if (!list) return undefined
    const i = list.findIndex(b => b.socket.node === socket.node && b.socket.ref === socket.ref && b.scope === scope && sameRange(b.range, range))
    if (i < 0) return undefined
    const [b] = list.splice(i, 1)
    if (list.length === 0) this.byType.delete(range.type)
    return b
  }

  /** Remove every binding of a node; returns them. */
  removeNode(node: number): UdpBinding[] {
    const removed: UdpBinding[] = []
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

  /** Bindings overlapping `range`, in binding order. */
  overlapping(range: ServiceRange): UdpBinding[] {
    const list = this.byType.get(range.type)
    if (!list) return []
    return list.filter(b => overlaps(b.range, range))
  }

  /** Bindings of one node (this node's, for the full table on link up). */
  ofNode(node: number): UdpBinding[] {
    const out: UdpBinding[] = []
    for (const list of this.byType.values()) for (const b of list) if (b.socket.node === node) out.push(b)
    return out
  }

  /** Round-robin choice for an anycast; `commit` advances the rotation. */
  anycast(type: number, instance: number, commit: boolean, filter?: (b: UdpBinding) => boolean): UdpBinding | undefined {
    let matches = this.overlapping({ type, lower: instance, upper: instance })
    if (filter) matches = matches.filter(filter)
    if (matches.length === 0) return undefined
    const key = `${type}:${instance}`
    const index = this.nextIndex.get(key) ?? 0
    if (commit) this.nextIndex.set(key, index + 1)
    return matches[index % matches.length]
  }

  /** Each node with at least one binding overlapping `range`. */
  nodesFor(range: ServiceRange): Set<number> {
    const nodes = new Set<number>()
    for (const b of this.overlapping(range)) nodes.add(b.socket.node)
    return nodes
  }
}
