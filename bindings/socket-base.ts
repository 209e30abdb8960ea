// What every TIPC socket shares: the native handle and its events, close,
// ref/unref, the writable signal, and the socket options.
import { addon } from './addon.js'
import { InvalidArgumentError, SocketClosedError, fromNative } from './errors.js'
import type { SocketAddress } from './address.js'
import { NativeEvent, ReadMode, type NativeSocket } from './native.js'

export type SocketKind = 'rdm' | 'dgram' | 'seqpacket' | 'stream'

export type Importance = 'low' | 'medium' | 'high' | 'critical'
const IMPORTANCE: Importance[] = ['low', 'medium', 'high', 'critical']

export function sockType(kind: SocketKind): number {
  const c = addon().constants
  switch (kind) {
    case 'rdm': return c.SOCK_RDM!
    case 'dgram': return c.SOCK_DGRAM!
    case 'seqpacket': return c.SOCK_SEQPACKET!
    case 'stream': return c.SOCK_STREAM!
    default: throw new InvalidArgumentError(`unknown socket kind ${String(kind)}`)
  }
}

/**
 * Where a socket is created. In TIPC each network namespace is a node, so
 * `netns` ('n2', or a path such as '/run/netns/n2') opens the socket on that
 * node: one process can then act on several nodes of a netns cluster.
 * Needs CAP_SYS_ADMIN.
 */
export interface NamespaceOption {
  netns?: string
}

export function netnsPath(netns: string | undefined): string | undefined {
  if (netns === undefined) return undefined
  if (typeof netns !== 'string' || netns === '') throw new InvalidArgumentError('netns must be a namespace name or path')
  return netns.includes('/') ? netns : `/run/netns/${netns}`
}

export abstract class SocketBase {
  readonly kind: SocketKind
  protected readonly native: NativeSocket
  protected readMode: ReadMode = ReadMode.Off
  private writableWaiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = []
  private closedFlag = false

  protected constructor(kind: SocketKind, fd = -1, netns?: string) {
    this.kind = kind
    try {
      const path = netnsPath(netns)
      this.native = new (addon().NativeSocket)(sockType(kind), fd, (event, a, b, c) => this.onNativeEvent(event, a, b, c), path)
    } catch (err) {
      throw fromNative(err)
    }
  }

  /** True once close() was called. */
  get closed(): boolean {
    return this.closedFlag
  }

  /** The kernel file descriptor (-1 once closed). */
  get fd(): number {
    return this.native.fd
  }

  /** This socket's own address {node, ref}. */
  address(): SocketAddress {
    const [node, ref] = this.call(() => this.native.getsockname())
    return { node, ref }
  }

  /** Close the socket. Idempotent; pending writable() promises reject. */
  close(): void {
    if (this.closedFlag) return
    this.closedFlag = true
    this.native.close()
    const waiters = this.writableWaiters
    this.writableWaiters = []
    for (const w of waiters) w.reject(new SocketClosedError())
    this.onClose()
  }

  /** Let the process exit while this socket is still reading (like net.Socket#unref). */
  unref(): this {
    this.native.setRef(false)
    return this
  }

  ref(): this {
    this.native.setRef(true)
    return this
  }

  /**
   * Resolves when the socket can take more data after a send reported
   * congestion (returned false). Backpressure, never unbounded buffering.
   */
  writable(): Promise<void> {
    if (this.closedFlag) return Promise.reject(new SocketClosedError())
    return new Promise((resolve, reject) => {
      this.writableWaiters.push({ resolve, reject })
      if (this.writableWaiters.length === 1) this.updatePoll(true)
    })
  }

  // --- options -------------------------------------------------------------

  get importance(): Importance {
    return IMPORTANCE[this.getTipcOption('TIPC_IMPORTANCE')] ?? 'low'
  }

  set importance(level: Importance) {
    const value = IMPORTANCE.indexOf(level)
    if (value < 0) throw new InvalidArgumentError(`importance must be one of ${IMPORTANCE.join(', ')}`)
    this.setTipcOption('TIPC_IMPORTANCE', value)
  }

  /** Drop (true) or return (false) this socket's messages that cannot be delivered. */
  get srcDroppable(): boolean {
    return this.getTipcOption('TIPC_SRC_DROPPABLE') !== 0
  }

  set srcDroppable(on: boolean) {
    this.setTipcOption('TIPC_SRC_DROPPABLE', on ? 1 : 0)
  }

  /** Drop (true) or return (false) messages to this socket that it cannot take. Off by default here. */
  get destDroppable(): boolean {
    return this.getTipcOption('TIPC_DEST_DROPPABLE') !== 0
  }

  set destDroppable(on: boolean) {
    this.setTipcOption('TIPC_DEST_DROPPABLE', on ? 1 : 0)
  }

  /** Connection setup timeout in ms (TIPC's default is 8000). */
  get connTimeout(): number {
    return this.getTipcOption('TIPC_CONN_TIMEOUT')
  }

  set connTimeout(ms: number) {
    this.setTipcOption('TIPC_CONN_TIMEOUT', ms)
  }

  /** Messages waiting in this socket's receive queue. */
  get recvQueueDepth(): number {
    return this.getTipcOption('TIPC_SOCK_RECVQ_DEPTH')
  }

  /** Bytes (truesize) used by this socket's receive queue. */
  get recvQueueUsed(): number {
    return this.getTipcOption('TIPC_SOCK_RECVQ_USED')
  }

  /** Messages waiting in all of this node's socket receive queues. */
  get nodeRecvQueueDepth(): number {
    return this.getTipcOption('TIPC_NODE_RECVQ_DEPTH')
  }

  /** How multicast leaves this node: link-level broadcast or one copy per node. */
  setMulticastMode(mode: 'broadcast' | 'replicast'): void {
    const name = mode === 'broadcast' ? 'TIPC_MCAST_BROADCAST' : mode === 'replicast' ? 'TIPC_MCAST_REPLICAST' : undefined
    if (!name) throw new InvalidArgumentError(`multicast mode must be 'broadcast' or 'replicast'`)
    const c = addon().constants
    this.call(() => this.native.setOption(c.SOL_TIPC!, c[name]!))
  }

  /** Send connection acks at once instead of batching them (SEQPACKET/STREAM). */
  set nodelay(on: boolean) {
    this.setTipcOption('TIPC_NODELAY', on ? 1 : 0)
  }

  get receiveBufferSize(): number {
    const c = addon().constants
    return this.call(() => this.native.getOption(c.SOL_SOCKET!, c.SO_RCVBUF!))
  }

  set receiveBufferSize(bytes: number) {
    const c = addon().constants
    this.call(() => this.native.setOption(c.SOL_SOCKET!, c.SO_RCVBUF!, bytes))
  }

  protected getTipcOption(name: string): number {
    const c = addon().constants
    return this.call(() => this.native.getOption(c.SOL_TIPC!, c[name]!))
  }

  protected setTipcOption(name: string, value: number): void {
    if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError(`${name} takes a non-negative integer`)
    const c = addon().constants
    this.call(() => this.native.setOption(c.SOL_TIPC!, c[name]!, value))
  }

  // --- plumbing for subclasses ------------------------------------------------

  /** Run a native call, mapping its errors onto typed ones. */
  protected call<T>(fn: () => T, address?: Parameters<typeof fromNative>[1]): T {
    if (this.closedFlag) throw new SocketClosedError()
    try {
      return fn()
    } catch (err) {
      throw fromNative(err, address)
    }
  }

  protected setReadMode(mode: ReadMode): void {
    this.readMode = mode
    if (!this.closedFlag) this.updatePoll(this.writableWaiters.length > 0)
  }

  private updatePoll(wantWritable: boolean): void {
    try {
      this.native.setPoll(this.readMode, wantWritable)
    } catch (err) {
      // libuv refused to watch the descriptor (uv_poll_init/uv_poll_start): a
      // system error like any other, with libuv's code and call. The addon
      // then watches nothing, so nothing here waits on it either.
      const mapped = fromNative(err)
      this.readMode = ReadMode.Off
      const waiters = this.writableWaiters
      this.writableWaiters = []
      for (const w of waiters) w.reject(mapped)
      throw mapped
    }
  }

  private onNativeEvent(event: NativeEvent, a: unknown, b: unknown, c: unknown): void {
    switch (event) {
      case NativeEvent.Batch:
        this.onBatch(a as ArrayBuffer, b as number, c as number)
        break
      case NativeEvent.BorrowedBatch:
        this.onBorrowedBatch(a as number)
        break
      case NativeEvent.Writable: {
        const waiters = this.writableWaiters
        this.writableWaiters = []
        for (const w of waiters) w.resolve()
        break
      }
      case NativeEvent.Readable:
        this.onReadable()
        break
      case NativeEvent.Error:
        this.readMode = ReadMode.Off
        this.onReceiveError(fromNative(a))
        break
    }
  }

  protected onBatch(_buffer: ArrayBuffer, _count: number, _offset: number): void {}
  protected onBorrowedBatch(_count: number): void {}
  protected onReadable(): void {}
  protected onReceiveError(_err: Error): void {}
  protected onClose(): void {}
}
