// TIPC's topology service: a SEQPACKET connection to the in-kernel server
// {1, 1}. A subscription (struct tipc_subscr, 28 bytes) asks for events on a
// service range; events (struct tipc_event, 48 bytes) report each binding
// published or withdrawn. Bindings that exist already are reported at once.
// Node and link up/down are subscriptions to the reserved types 0 and 2.
import { toRange, type ServiceRange, type SocketAddress } from './address.js'
import { ConnectionSocket } from './connection.js'
import { InvalidArgumentError, SocketClosedError } from './errors.js'
import type { NamespaceOption } from './socket-base.js'

const TOP_SRV = { type: 1, instance: 1 }
const SUB_PORTS = 0x01
const SUB_SERVICE = 0x02
const SUB_CANCEL = 0x04
const WAIT_FOREVER = 0xffffffff
const SUBSCR_SIZE = 28
const EVENT_SIZE = 48
const NODE_STATE = 0
const LINK_STATE = 2

export interface TopologyEvent {
  kind: 'published' | 'withdrawn' | 'timeout'
  /** The binding's whole range (the kernel does not clip it to the subscription). */
  range: ServiceRange
  /** The bound socket (zero for a timeout). */
  socket: SocketAddress
  /** The subscription this event belongs to. */
  subscription: ServiceRange
}

export interface SubscribeOptions {
  /** 'ports' (default): an event per binding; 'service': first up / last down only. */
  filter?: 'ports' | 'service'
  /** End the subscription with a 'timeout' event after this many ms. Default: never. */
  timeoutMs?: number
}

export interface Subscription {
  readonly range: ServiceRange
  /** Stop receiving events for this subscription. */
  cancel(): void
}

interface Entry {
  request: Uint8Array
  handler: (event: TopologyEvent) => void
}

/** One connection to the topology server, carrying any number of subscriptions. */
export class TopologyClient {
  private readonly subs = new Map<number, Entry>()
  private nextHandle = 1
  private readonly socket: ConnectionSocket
  private endHandler: ((err?: Error) => void) | undefined

  private constructor(socket: ConnectionSocket) {
    this.socket = socket
    socket.onMessages(
      batch => {
        for (let i = 0; i < batch.length; i++) this.dispatch(batch.data(i))
      },
      err => {
        this.subs.clear()
        this.endHandler?.(err)
      },
    )
  }

  /** Connect to the topology server (of the node `options.netns` names, if given). */
  static async open(options: NamespaceOption = {}): Promise<TopologyClient> {
    return new TopologyClient(await ConnectionSocket.connectReserved(TOP_SRV, options.netns))
  }

  /** Called when the topology connection ends (close, or the server went away). */
  onEnd(handler: (err?: Error) => void): void {
    this.endHandler = handler
  }

  /** Let the process exit while subscriptions are open. */
  unref(): this {
    this.socket.unref()
    return this
  }

  /**
   * Subscribe to bindings overlapping `range`. Types below 64 are allowed
   * here: 0 is node state and 2 link state (see watchNodes/watchLinks).
   */
  subscribe(range: ServiceRange, handler: (event: TopologyEvent) => void, options: SubscribeOptions = {}): Subscription {
    if (this.socket.closed) throw new SocketClosedError()
    const r = toRange(range, true)
    const filter = options.filter ?? 'ports'
    if (filter !== 'ports' && filter !== 'service') throw new InvalidArgumentError(`filter must be 'ports' or 'service'`)
    const timeout = options.timeoutMs ?? WAIT_FOREVER
    if (!Number.isInteger(timeout) || timeout < 0 || timeout > WAIT_FOREVER) {
      throw new InvalidArgumentError('timeoutMs must be a non-negative integer')
    }
    const handle = this.nextHandle++
    const request = encodeSubscription(r, timeout, filter === 'ports' ? SUB_PORTS : SUB_SERVICE, handle)
    this.subs.set(handle, { request, handler })
    this.socket.send(request)
    return {
      range: r,
      cancel: () => {
        const entry = this.subs.get(handle)
        if (!entry || this.socket.closed) return
        this.subs.delete(handle)
        // TIPC matches a cancel against the original request, byte for byte,
        // with the cancel bit added to the filter.
        const cancel = entry.request.slice()
        const view = new DataView(cancel.buffer)
        view.setUint32(16, view.getUint32(16, true) | SUB_CANCEL, true)
        this.socket.send(cancel)
      },
    }
  }

  close(): void {
    this.subs.clear()
    this.socket.close()
  }

  private dispatch(bytes: Uint8Array): void {
    if (bytes.byteLength < EVENT_SIZE) return
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const handle = v.getUint32(20 + 20, true)
    const entry = this.subs.get(handle)
    if (!entry) return
    const code = v.getUint32(0, true)
    const kind = code === 1 ? 'published' : code === 2 ? 'withdrawn' : 'timeout'
    if (kind === 'timeout') this.subs.delete(handle)
    entry.handler({
      kind,
      range: { type: v.getUint32(20, true), lower: v.getUint32(4, true), upper: v.getUint32(8, true) },
      socket: { ref: v.getUint32(12, true), node: v.getUint32(16, true) },
      subscription: { type: v.getUint32(20, true), lower: v.getUint32(24, true), upper: v.getUint32(28, true) },
    })
  }
}

/** struct tipc_subscr in host order (the server detects the byte order). */
function encodeSubscription(r: ServiceRange, timeout: number, filter: number, handle: number): Uint8Array {
  const bytes = new Uint8Array(SUBSCR_SIZE)
  const v = new DataView(bytes.buffer)
  v.setUint32(0, r.type, true)
  v.setUint32(4, r.lower, true)
  v.setUint32(8, r.upper, true)
  v.setUint32(12, timeout, true)
  v.setUint32(16, filter, true)
  v.setUint32(20, handle, true) // usr_handle[8]: our subscription id
  return bytes
}

export interface NodeEvent {
  kind: 'up' | 'down'
  node: number
}

/** Node up/down in the cluster (TIPC_NODE_STATE). Nodes already up are reported at once. */
export function watchNodes(client: TopologyClient, handler: (event: NodeEvent) => void): Subscription {
  return client.subscribe({ type: NODE_STATE, lower: 0, upper: WAIT_FOREVER }, e => {
    if (e.kind !== 'timeout') handler({ kind: e.kind === 'published' ? 'up' : 'down', node: e.range.lower })
  })
}

export interface LinkEvent {
  kind: 'up' | 'down'
  /** The peer node at the other end of the link. */
  node: number
  /** TIPC's link reference (identifies which of several links to that node). */
  link: number
}

/** Link up/down to each peer (TIPC_LINK_STATE). */
export function watchLinks(client: TopologyClient, handler: (event: LinkEvent) => void): Subscription {
  return client.subscribe({ type: LINK_STATE, lower: 0, upper: WAIT_FOREVER }, e => {
    if (e.kind !== 'timeout') handler({ kind: e.kind === 'published' ? 'up' : 'down', node: e.range.lower, link: e.socket.ref })
  })
}
