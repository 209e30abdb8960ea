// The name table across the cluster, TIPC's name distributor: each node owns
// its bindings and announces the cluster-scope ones over its links, the
// whole table to a peer whose link comes up, then each publish and
// withdraw. They travel in order with data, so a binding is known at a
// sender before any data sent to it. What peers announce enters this node's
// view of the table (the router's and the delivery's); a node that goes
// down takes its bindings with it. Node-scope bindings are never announced.
import type { NameBinding, NameTable } from '../shared/name-table.js'
import type { Topology } from '../shared/topology.js'
import type { Outbound } from './outbound.js'
import { R_PUBLISH, R_WITHDRAW, type NameRecord } from './records.js'

export class NameDistributor {
  private readonly self: number
  private readonly names: NameTable
  private readonly topology: Topology
  private readonly out: Outbound

  constructor(self: number, names: NameTable, topology: Topology, out: Outbound) {
    this.self = self
    this.names = names
    this.topology = topology
    this.out = out
  }

  /** A socket of this node binds. */
  publish(b: NameBinding): void {
    this.names.add(b)
    this.topology.published(b)
    if (b.scope === 'cluster') this.out.sendToAll({ kind: R_PUBLISH, ref: b.socket.ref, ...b.range })
  }

  /** A socket of this node unbinds. */
  withdraw(binding: NameBinding): void {
    const b = this.names.remove(binding.socket, binding.range, binding.scope)
    if (!b) return
    this.topology.withdrawn(b)
    if (b.scope === 'cluster') this.out.sendToAll({ kind: R_WITHDRAW, ref: b.socket.ref, ...b.range })
  }

  /** A peer's announcement. */
  received(from: number, rec: NameRecord): void {
    if (from === this.self) return
    const range = { type: rec.type, lower: rec.lower, upper: rec.upper }
    if (rec.kind === R_PUBLISH) {
      const b = { range, scope: 'cluster' as const, socket: { node: from, ref: rec.ref } }
      this.names.add(b)
      this.topology.published(b)
    } else {
      const b = this.names.remove({ node: from, ref: rec.ref }, range, 'cluster')
      if (b) this.topology.withdrawn(b)
    }
  }

  /** The whole table first, so the peer knows our bindings before any data of ours. */
  linkUp(node: number): void {
    for (const b of this.names.ofNode(this.self)) {
      if (b.scope === 'cluster') this.out.send(node, { kind: R_PUBLISH, ref: b.socket.ref, ...b.range })
    }
  }

  /** A peer went down: its bindings are gone. */
  nodeDown(node: number): void {
    for (const b of this.names.removeNode(node)) this.topology.withdrawn(b)
  }
}
