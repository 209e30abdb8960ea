// The topology service as both transports run it: binding events from a
// name table (binding-watches.ts) and node up/down events. Each
// subscription sees from its own node; what exists when it starts is
// reported at once, then each change, in order. Every event goes out
// through `emit`, which the transport injects: the memory network's virtual
// clock (one tick later) or the udp node's next turn. Either way events
// arrive asynchronously, as from TIPC's topology server, and a handler that
// throws is isolated by the emitter.
import { toRange, type ServiceRange } from '../../transport-contract/address.js'
import { InvalidArgumentError } from '../../transport-contract/errors.js'
import type { BindingEvent, NodeEvent, SubscribeOptions, TopologySubscription } from '../../transport-contract/topology.js'
import { BindingWatches } from './binding-watches.js'
import type { NameBinding, NameTable } from './name-table.js'

interface NodeWatch {
  /** The watching node (it hears of the others). */
  node: number
  handler: (event: NodeEvent) => void
  active: boolean
}

export class Topology {
  private readonly bindings: BindingWatches
  private readonly nodeWatches = new Set<NodeWatch>()
  private readonly emit: (run: () => void) => void

  constructor(names: NameTable, emit: (run: () => void) => void) {
    this.emit = emit
    this.bindings = new BindingWatches(names, emit)
  }

  /** TopologyApi.subscribe for `node`: bindings overlapping `range` as that node sees them. */
  subscribe(node: number, range: ServiceRange, handler: (event: BindingEvent) => void, options: SubscribeOptions = {}): TopologySubscription {
    const r = toRange(range)
    const filter = options.filter ?? 'ports'
    if (filter !== 'ports' && filter !== 'service') throw new InvalidArgumentError(`filter must be 'ports' or 'service', got ${String(filter)}`)
    checkHandler(handler, 'subscribe')
    return this.bindings.subscribe(node, r, filter === 'service', handler)
  }

  /** TopologyApi.watchNodes for `node`; `live` (that node included) are reported up at once. */
  watchNodes(node: number, live: readonly number[], handler: (event: NodeEvent) => void): TopologySubscription {
    checkHandler(handler, 'watchNodes')
    const w: NodeWatch = { node, handler, active: true }
    this.nodeWatches.add(w)
    for (const n of live) this.emitNode(w, { kind: 'up', node: n })
    return { cancel: () => this.cancel(w) }
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

  /** The others hear it is down; a node that is gone hears nothing more. */
  nodeDown(node: number): void {
    for (const w of [...this.nodeWatches]) {
      if (w.node === node) this.cancel(w)
      else this.emitNode(w, { kind: 'down', node })
    }
    this.bindings.dropNode(node)
  }

  /** Every subscription ends (the node closed). */
  close(): void {
    this.bindings.clear()
    for (const w of this.nodeWatches) w.active = false
    this.nodeWatches.clear()
  }

  private cancel(w: NodeWatch): void {
    w.active = false
    this.nodeWatches.delete(w)
  }

  private emitNode(w: NodeWatch, event: NodeEvent): void {
    this.emit(() => {
      if (w.active) w.handler(event)
    })
  }
}

function checkHandler(handler: unknown, what: string): void {
  if (typeof handler !== 'function') throw new InvalidArgumentError(`${what} needs a handler`)
}
