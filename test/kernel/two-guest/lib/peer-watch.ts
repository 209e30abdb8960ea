// One node's view of its peer, from the topology service: the peer node up
// or down, the link to it up or down, and one of the peer's bindings
// published or withdrawn, each with the local wall-clock time it was
// reported. Two-guest scripts log these and wait on them (never on sleeps).
import {
  TopologyClient, watchLinks, watchNodes, type ServiceRange,
} from '../../../../bindings/index.js'

export type PeerEventKind = 'node-up' | 'node-down' | 'link-up' | 'link-down' | 'published' | 'withdrawn'

export interface PeerEvent {
  /** Date.now() when the event was read. */
  at: number
  kind: PeerEventKind
}

/** TIPC address 1.1.n of a two-guest node, as a 32-bit node number. */
export const nodeAddress = (n: number) => ((1 << 24) | (1 << 12) | n) >>> 0

export class PeerWatch {
  readonly events: PeerEvent[] = []
  nodeUp = false
  linkUp = false
  /** Sockets of the peer bound to the watched range right now. */
  bound = 0
  private waiters: Array<() => void> = []

  private constructor(private readonly client: TopologyClient) {}

  /**
   * Watch node `peer` (its node number) and its bindings overlapping
   * `binding`. Resolves once the subscriptions are sent; what exists already
   * is reported at once by the server.
   */
  static async open(peer: number, binding: ServiceRange): Promise<PeerWatch> {
    const watch = new PeerWatch(await TopologyClient.open())
    watchNodes(watch.client, e => {
      if (e.node === peer) watch.record(e.kind === 'up' ? 'node-up' : 'node-down')
    })
    watchLinks(watch.client, e => {
      if (e.node === peer) watch.record(e.kind === 'up' ? 'link-up' : 'link-down')
    })
    watch.client.subscribe(binding, e => {
      if (e.kind !== 'timeout' && e.socket.node === peer) watch.record(e.kind)
    })
    return watch
  }

  private record(kind: PeerEventKind): void {
    this.events.push({ at: Date.now(), kind })
    if (kind === 'node-up' || kind === 'node-down') this.nodeUp = kind === 'node-up'
    else if (kind === 'link-up' || kind === 'link-down') this.linkUp = kind === 'link-up'
    else this.bound += kind === 'published' ? 1 : -1
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w()
  }

  /** Resolves when `condition()` holds (checked now and after each event); rejects after `ms`. */
  async until(condition: () => boolean, ms: number, what: string): Promise<void> {
    const { happened, cancel } = this.when(condition)
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
    })
    try {
      await Promise.race([happened, timeout])
    } finally {
      clearTimeout(timer)
      cancel()
    }
  }

  /** Resolves when `condition()` holds, for as long as it is not cancelled (then it never settles). */
  when(condition: () => boolean): { happened: Promise<void>; cancel: () => void } {
    let check!: () => void
    const happened = new Promise<void>(resolve => {
      check = () => {
        if (condition()) resolve()
        else this.waiters.push(check)
      }
    })
    check()
    return { happened, cancel: () => { this.waiters = this.waiters.filter(w => w !== check) } }
  }

  /** Events reported at or after `since` (Date.now() ms). */
  since(since: number): PeerEvent[] {
    return this.events.filter(e => e.at >= since)
  }

  close(): void {
    this.client.close()
  }
}
