// The topology service of the memory network. Every subscription sees the
// name table from its own node; bindings that exist when it starts are
// reported at once (on the next tick), then each change as it happens.
// Events travel through the scheduler, so they arrive asynchronously and in
// the order the changes happened, as from TIPC's topology server.
import { overlaps, type ServiceRange } from '../../transport/address.js'
import type { BindingEvent, NodeEvent, TopologySubscription } from '../../transport/topology.js'
import { visibleFrom, type Binding, type NameTable } from './name-table.js'
import type { Scheduler } from './scheduler.js'

interface BindingWatch {
  node: number
  range: ServiceRange
  serviceOnly: boolean
  handler: (event: BindingEvent) => void
  active: boolean
  /** 'service' filter: visible bindings per distinct range, to report only first up and last down. */
  counts: Map<string, number>
}

interface NodeWatch {
  node: number
  handler: (event: NodeEvent) => void
  active: boolean
}

export class TopologyHub {
  private readonly watches = new Set<BindingWatch>()
  private readonly nodeWatches = new Set<NodeWatch>()
  private readonly scheduler: Scheduler
  private readonly names: NameTable

  constructor(scheduler: Scheduler, names: NameTable) {
    this.scheduler = scheduler
    this.names = names
  }

  subscribe(node: number, range: ServiceRange, serviceOnly: boolean, handler: (event: BindingEvent) => void): TopologySubscription {
    const watch: BindingWatch = { node, range, serviceOnly, handler, active: true, counts: new Map() }
    this.watches.add(watch)
    for (const b of this.names.overlapping(node, range)) this.report(watch, 'published', b)
    return { cancel: () => this.cancel(watch) }
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

  published(b: Binding): void {
    for (const w of this.watches) if (visibleFrom(w.node, b) && overlaps(b.range, w.range)) this.report(w, 'published', b)
  }

  withdrawn(b: Binding): void {
    for (const w of this.watches) if (visibleFrom(w.node, b) && overlaps(b.range, w.range)) this.report(w, 'withdrawn', b)
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
    for (const w of [...this.watches]) if (w.node === node) this.cancel(w)
  }

  private cancel(w: BindingWatch): void {
    w.active = false
    this.watches.delete(w)
  }

  private report(w: BindingWatch, kind: BindingEvent['kind'], b: Binding): void {
    if (w.serviceOnly) {
      const key = `${b.range.lower}-${b.range.upper}`
      const before = w.counts.get(key) ?? 0
      const after = before + (kind === 'published' ? 1 : -1)
      if (after === 0) w.counts.delete(key)
      else w.counts.set(key, after)
      if (!(before === 0 && after === 1) && !(before === 1 && after === 0)) return
    }
    const event: BindingEvent = {
      kind,
      range: { ...b.range }, // the whole binding, as the kernel reports it (not clipped)
      socket: { ...b.socket },
      node: b.socket.node,
      subscription: { ...w.range },
    }
    this.scheduler.after(1, () => {
      if (w.active) w.handler(event)
    })
  }

  private emitNode(w: NodeWatch, event: NodeEvent): void {
    this.scheduler.after(1, () => {
      if (w.active) w.handler(event)
    })
  }
}
