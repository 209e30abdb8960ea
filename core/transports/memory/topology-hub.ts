// The topology service of the memory network. Every subscription sees the
// name table from its own node (the shared BindingWatches); bindings that
// exist when it starts are reported at once (on the next tick), then each
// change as it happens. Events travel through the scheduler, so they arrive
// asynchronously and in the order the changes happened, as from TIPC's
// topology server.
import type { ServiceRange } from '../../transport-contract/address.js'
import type { BindingEvent, NodeEvent, TopologySubscription } from '../../transport-contract/topology.js'
import { BindingWatches } from '../shared/binding-watches.js'
import type { NameBinding, NameTable } from '../shared/name-table.js'
import type { Scheduler } from './scheduler.js'

interface NodeWatch {
  node: number
  handler: (event: NodeEvent) => void
  active: boolean
}

export class TopologyHub {
  private readonly bindings: BindingWatches
  private readonly nodeWatches = new Set<NodeWatch>()
  private readonly scheduler: Scheduler

  constructor(scheduler: Scheduler, names: NameTable) {
    this.scheduler = scheduler
    this.bindings = new BindingWatches(names, run => scheduler.after(1, run))
  }

  subscribe(node: number, range: ServiceRange, serviceOnly: boolean, handler: (event: BindingEvent) => void): TopologySubscription {
    return this.bindings.subscribe(node, range, serviceOnly, handler)
  }

  watchNodes(node: number, liveNodes: readonly number[], handler: (event: NodeEvent) => void): TopologySubscription {
    const watch: NodeWatch = { node, handler, active: true }
    this.nodeWatches.add(watch)
    for (const n of liveNodes) this.emitNode(watch, { kind: 'up', node: n })
    return {
      cancel: () => {
        watch.active = false
        this.nodeWatches.delete(watch)
      },
    }
  }

  published(b: NameBinding): void {
    this.bindings.published(b)
  }

  withdrawn(b: NameBinding): void {
    this.bindings.withdrawn(b)
  }

  nodeUp(node: number): void {
    for (const w of this.nodeWatches) if (w.node !== node) this.emitNode(w, { kind: 'up', node })
  }

  nodeDown(node: number): void {
    for (const w of [...this.nodeWatches]) {
      if (w.node === node) {
        // A node that is gone hears nothing more.
        w.active = false
        this.nodeWatches.delete(w)
      } else {
        this.emitNode(w, { kind: 'down', node })
      }
    }
    this.bindings.dropNode(node)
  }

  private emitNode(w: NodeWatch, event: NodeEvent): void {
    this.scheduler.after(1, () => {
      if (w.active) w.handler(event)
    })
  }
}
