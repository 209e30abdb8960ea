// The kernel's topology service behind the contract. One connection to the
// topology server per transport, opened on first use; subscribe() answers at
// once and its events flow when the connection is up.
import { TopologyClient, watchNodes, type Subscription } from '../../../bindings/index.js'
import {
  toRange,
  type BindingEvent, type NodeEvent, type ServiceRange, type SubscribeOptions, type TopologySubscription,
} from '../../transport-contract/index.js'

export class TipcTopology {
  private client: Promise<TopologyClient> | undefined
  private readonly subscriptions = new Set<{ cancelled: boolean; native?: Subscription }>()
  private closed = false

  constructor(private readonly netns: string | undefined, private readonly ownNode: number) {}

  subscribe(range: ServiceRange, handler: (event: BindingEvent) => void, options: SubscribeOptions = {}): TopologySubscription {
    const r = toRange(range)
    return this.track(client => client.subscribe(r, e => {
      if (e.kind === 'timeout') return
      handler({ kind: e.kind, range: e.range, socket: e.socket, node: e.socket.node, subscription: r })
    }, { filter: options.filter ?? 'ports' }))
  }

  watchNodes(handler: (event: NodeEvent) => void): TopologySubscription {
    // The contract reports this node as up. The kernel publishes a node's own
    // state only once it has an address (a bearer): say it ourselves once,
    // and let the kernel's own report of it through no second time.
    let ownReported = false
    queueMicrotask(() => {
      if (sub.cancelled || this.closed) return
      ownReported = true
      handler({ kind: 'up', node: this.ownNode })
    })
    const sub = this.track(client => watchNodes(client, e => {
      if (e.node === this.ownNode && e.kind === 'up' && ownReported) return
      handler(e)
    }))
    return sub
  }

  close(): void {
    this.closed = true
    this.subscriptions.clear()
    const client = this.client
    this.client = undefined
    void client?.then(c => c.close(), () => undefined)
  }

  private track(start: (client: TopologyClient) => Subscription): TopologySubscription & { cancelled: boolean } {
    const entry: { cancelled: boolean; native?: Subscription } = { cancelled: false }
    this.subscriptions.add(entry)
    this.client ??= TopologyClient.open(this.netns === undefined ? {} : { netns: this.netns }).then(c => c.unref())
    void this.client.then(
      client => {
        if (!entry.cancelled && !this.closed) entry.native = start(client)
      },
      (err: Error) => {
        // No event channel to report on: make the failure loud, not silent.
        if (!this.closed) process.emitWarning(`tipc-rx: cannot reach the TIPC topology server: ${err.message}`, 'TopologyWarning')
      },
    )
    return Object.assign(entry, {
      cancel: () => {
        entry.cancelled = true
        entry.native?.cancel()
        this.subscriptions.delete(entry)
      },
    })
  }
}
