// The topology service of a udp node: binding events from its own name table
// view, node up/down from its links. Existing bindings and nodes are
// reported at once (asynchronously, like TIPC's topology server), then each
// change as it happens, in order.
import type { ServiceRange } from '../../transport-contract/address.js'
import type { BindingEvent, NodeEvent, TopologySubscription } from '../../transport-contract/topology.js'
import { BindingWatches } from '../shared/binding-watches.js'
import { isolate } from '../shared/isolate.js'
import type { NameBinding, NameTable } from '../shared/name-table.js'

interface NodeWatch {
  handler: (event: NodeEvent) => void
  active: boolean
}

export class UdpTopology {
  private readonly bindings: BindingWatches
  private readonly nodeWatches = new Set<NodeWatch>()
  /** This node: its view of the table is the one every subscription here has. */
  private readonly self: number
  private queue: Array<() => void> = []
  private scheduled = false

  constructor(names: NameTable, self: number) {
    this.self = self
    this.bindings = new BindingWatches(names, run => this.emit(run))
  }

  subscribe(range: ServiceRange, serviceOnly: boolean, handler: (event: BindingEvent) => void): TopologySubscription {
    return this.bindings.subscribe(this.self, range, serviceOnly, handler)
  }

  watchNodes(live: readonly number[], handler: (event: NodeEvent) => void): TopologySubscription {
    const w: NodeWatch = { handler, active: true }
    this.nodeWatches.add(w)
    for (const node of live) this.emit(() => w.active && w.handler({ kind: 'up', node }))
    return { cancel: () => { w.active = false; this.nodeWatches.delete(w) } }
  }

  published(b: NameBinding): void {
    this.bindings.published(b)
  }

  withdrawn(b: NameBinding): void {
    this.bindings.withdrawn(b)
  }

  node(kind: 'up' | 'down', node: number): void {
    for (const w of this.nodeWatches) this.emit(() => w.active && w.handler({ kind, node }))
  }

  close(): void {
    this.bindings.clear()
    for (const w of this.nodeWatches) w.active = false
    this.nodeWatches.clear()
    this.queue = []
  }

  private emit(run: () => unknown): void {
    this.queue.push(run)
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(this.drain)
  }

  private readonly drain = (): void => {
    this.scheduled = false
    const queue = this.queue
    this.queue = []
    // A handler that throws must not keep other subscribers from their events.
    for (const run of queue) isolate(run)
  }
}
