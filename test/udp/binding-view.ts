// One node's view of the cluster as its topology service tells it: the
// bindings it knows in a range and the nodes it believes up. The link-fault
// scenarios (issue 8) keep one on each side of a link and compare them: after
// a fault both sides must list the same bindings, and each must see the
// other's node up (a one-sided reset shows as two views that never agree).
import type { ServiceRange, Transport, BindingEvent, TopologySubscription } from '../../core/index.js'

export interface ViewSnapshot {
  /** Binding keys (bindingKey), sorted. */
  bindings: string[]
  /** Nodes up, this one included, sorted. */
  nodes: number[]
}

/** A binding as one comparable string: node/ref/type:lower-upper. */
export function bindingKey(socket: { node: number; ref: number }, range: ServiceRange): string {
  return `${socket.node}/${socket.ref}/${range.type}:${range.lower}-${range.upper}`
}

export class BindingView {
  private readonly bindings = new Set<string>()
  private readonly nodes = new Set<number>()
  private readonly subscriptions: TopologySubscription[]

  constructor(transport: Transport, range: ServiceRange) {
    this.subscriptions = [
      transport.subscribe(range, (e: BindingEvent) => {
        const key = bindingKey(e.socket, e.range)
        if (e.kind === 'published') this.bindings.add(key)
        else this.bindings.delete(key)
      }),
      transport.watchNodes(e => {
        if (e.kind === 'up') this.nodes.add(e.node)
        else this.nodes.delete(e.node)
      }),
    ]
  }

  snapshot(): ViewSnapshot {
    return { bindings: [...this.bindings].sort(), nodes: [...this.nodes].sort((a, b) => a - b) }
  }

  cancel(): void {
    for (const s of this.subscriptions) s.cancel()
  }
}

/**
 * Both sides list exactly the expected bindings (so the same ones) and each
 * sees the other's node up. Requiring the full set keeps two views that are
 * equally wrong (each has lost the other's binding) from counting as agreement.
 */
export function viewsAgree(a: ViewSnapshot, b: ViewSnapshot, expected: readonly string[], nodes: readonly [number, number]): boolean {
  const want = [...expected].sort().join(',')
  return a.bindings.join(',') === want && b.bindings.join(',') === want && a.nodes.includes(nodes[1]) && b.nodes.includes(nodes[0])
}
