// The cluster's nodes as the transport's topology service reports them: the
// set of nodes up now (this one included, reported at once) and up / down
// events with the clock time they were seen.
import type { Clock, TopologyApi, TopologySubscription } from '../transport-contract/index.js'
import { Listeners, type Listening } from './listeners.js'

export interface NodePresenceEvent {
  kind: 'up' | 'down'
  node: number
  /** Clock time of the event. */
  at: number
}

export class NodePresence {
  private readonly upNodes = new Map<number, number>()
  private readonly listeners = new Listeners<NodePresenceEvent>()
  private readonly subscription: TopologySubscription
  private closed = false

  constructor(topology: TopologyApi, clock: Clock) {
    this.subscription = topology.watchNodes(event => {
      const at = clock.now()
      // Only changes are events: a repeated report of the same state is not news.
      if (event.kind === 'up') {
        if (this.upNodes.has(event.node)) return
        this.upNodes.set(event.node, at)
      } else if (!this.upNodes.delete(event.node)) {
        return
      }
      this.listeners.emit({ kind: event.kind, node: event.node, at })
    })
  }

  /** The nodes up now. */
  get up(): number[] {
    return [...this.upNodes.keys()]
  }

  isUp(node: number): boolean {
    return this.upNodes.has(node)
  }

  /** Since when `node` is up (clock time it was reported), if it is. */
  upSince(node: number): number | undefined {
    return this.upNodes.get(node)
  }

  /** Up / down events from now on. */
  onChange(listener: (event: NodePresenceEvent) => void): Listening {
    return this.listeners.add(listener)
  }

  /** Stop watching. Idempotent. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.subscription.cancel()
    this.listeners.clear()
  }
}
