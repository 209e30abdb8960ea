// The topology service of a udp node: binding events from its own name table
// view, node up/down from its links. Existing bindings and nodes are
// reported at once (asynchronously, like TIPC's topology server), then each
// change as it happens, in order.
import { overlaps, type ServiceRange } from '../../transport/address.js'
import type { BindingEvent, NodeEvent, TopologySubscription } from '../../transport/topology.js'
import type { UdpBinding, UdpNameTable } from './name-table.js'

interface BindingWatch {
  range: ServiceRange
  serviceOnly: boolean
  handler: (event: BindingEvent) => void
  active: boolean
  counts: Map<string, number>
}

interface NodeWatch {
  handler: (event: NodeEvent) => void
  active: boolean
}

export class UdpTopology {
  private readonly watches = new Set<BindingWatch>()
  private readonly nodeWatches = new Set<NodeWatch>()
  private readonly names: UdpNameTable
  private queue: Array<() => void> = []
  private scheduled = false

  constructor(names: UdpNameTable) {
    this.names = names
  }

  subscribe(range: ServiceRange, serviceOnly: boolean, handler: (event: BindingEvent) => void): TopologySubscription {
    const w: BindingWatch = { range, serviceOnly, handler, active: true, counts: new Map() }
    this.watches.add(w)
    for (const b of this.names.overlapping(range)) this.report(w, 'published', b)
    return { cancel: () => { w.active = false; this.watches.delete(w) } }
  }

  watchNodes(live: readonly number[], handler: (event: NodeEvent) => void): TopologySubscription {
    const w: NodeWatch = { handler, active: true }
    this.nodeWatches.add(w)
    for (const node of live) this.emit(() => w.active && w.handler({ kind: 'up', node }))
    return { cancel: () => { w.active = false; this.nodeWatches.delete(w) } }
  }

  published(b: UdpBinding): void {
    for (const w of this.watches) if (overlaps(b.range, w.range)) this.report(w, 'published', b)
  }

  withdrawn(b: UdpBinding): void {
    for (const w of this.watches) if (overlaps(b.range, w.range)) this.report(w, 'withdrawn', b)
  }

  node(kind: 'up' | 'down', node: number): void {
    for (const w of this.nodeWatches) this.emit(() => w.active && w.handler({ kind, node }))
  }

  close(): void {
    for (const w of this.watches) w.active = false
    for (const w of this.nodeWatches) w.active = false
    this.watches.clear()
    this.nodeWatches.clear()
    this.queue = []
  }

  private report(w: BindingWatch, kind: BindingEvent['kind'], b: UdpBinding): void {
    if (w.serviceOnly) {
      const key = `${b.range.lower}-${b.range.upper}`
      const before = w.counts.get(key) ?? 0
      const after = before + (kind === 'published' ? 1 : -1)
      if (after === 0) w.counts.delete(key)
      else w.counts.set(key, after)
      if (!(before === 0 && after === 1) && !(before === 1 && after === 0)) return
    }
    const event: BindingEvent = {
      kind, range: { ...b.range }, // the whole binding, as TIPC reports it (not clipped)
      socket: { ...b.socket }, node: b.socket.node, subscription: { ...w.range },
    }
    this.emit(() => w.active && w.handler(event))
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
    for (const run of queue) {
      try {
        run()
      } catch (err) {
        // A handler that throws must not keep other subscribers from their events.
        queueMicrotask(() => { throw err })
      }
    }
  }
}
