// The binding half of a topology service, as both transports run it: each
// subscription sees the name table from one node, is told of the bindings
// that exist when it starts, then of each change, in order. Events go out
// through `emit`, which each transport injects: the memory network's virtual
// clock (one tick later, deterministic) or the udp node's next turn of the
// event loop. Either way they arrive asynchronously, as from TIPC's
// topology server.
import { overlaps, type ServiceRange } from '../../transport-contract/address.js'
import type { BindingEvent, TopologySubscription } from '../../transport-contract/topology.js'
import { visibleFrom, type NameBinding, type NameTable } from './name-table.js'

interface Watch {
  /** The node whose view of the table this subscription has. */
  node: number
  range: ServiceRange
  serviceOnly: boolean
  handler: (event: BindingEvent) => void
  active: boolean
  /** 'service' filter: visible bindings per distinct range, to report only first up and last down. */
  counts: Map<string, number>
}

export class BindingWatches<B extends NameBinding = NameBinding> {
  private readonly watches = new Set<Watch>()
  private readonly names: NameTable<B>
  private readonly emit: (run: () => void) => void

  constructor(names: NameTable<B>, emit: (run: () => void) => void) {
    this.names = names
    this.emit = emit
  }

  subscribe(node: number, range: ServiceRange, serviceOnly: boolean, handler: (event: BindingEvent) => void): TopologySubscription {
    const w: Watch = { node, range, serviceOnly, handler, active: true, counts: new Map() }
    this.watches.add(w)
    for (const b of this.names.overlapping(range, b => visibleFrom(node, b))) this.report(w, 'published', b)
    return { cancel: () => this.cancel(w) }
  }

  published(b: B): void {
    for (const w of this.watches) if (visibleFrom(w.node, b) && overlaps(b.range, w.range)) this.report(w, 'published', b)
  }

  withdrawn(b: B): void {
    for (const w of this.watches) if (visibleFrom(w.node, b) && overlaps(b.range, w.range)) this.report(w, 'withdrawn', b)
  }

  /** A node that is gone hears nothing more. */
  dropNode(node: number): void {
    for (const w of [...this.watches]) if (w.node === node) this.cancel(w)
  }

  clear(): void {
    for (const w of this.watches) w.active = false
    this.watches.clear()
  }

  private cancel(w: Watch): void {
    w.active = false
    this.watches.delete(w)
  }

  private report(w: Watch, kind: BindingEvent['kind'], b: B): void {
    if (w.serviceOnly && !serviceChanged(w.counts, kind, b.range)) return
    const event: BindingEvent = {
      kind,
      range: { ...b.range }, // the whole binding, as the kernel reports it (not clipped)
      socket: { ...b.socket },
      node: b.socket.node,
      subscription: { ...w.range },
    }
    this.emit(() => {
      if (w.active) w.handler(event)
    })
  }
}

/**
 * The 'service' filter (TIPC_SUB_SERVICE): count the bindings per distinct
 * range and report only the first one up and the last one down.
 */
function serviceChanged(counts: Map<string, number>, kind: BindingEvent['kind'], range: ServiceRange): boolean {
  const key = `${range.lower}-${range.upper}`
  const before = counts.get(key) ?? 0
  const after = before + (kind === 'published' ? 1 : -1)
  if (after === 0) counts.delete(key)
  else counts.set(key, after)
  return (before === 0 && after === 1) || (before === 1 && after === 0)
}
