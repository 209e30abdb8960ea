// Connection-oriented TIPC sockets: SEQPACKET (message boundaries kept) and
// STREAM (bytes). Servers listen on a service name; clients connect by name
// or socket address. TIPC's connect completes only when the server accepts,
// so connect is always non-blocking here.
import {
  encodeDestination, scopeValue, toRange,
  type Scope, type ServiceAddress, type ServiceRange, type SocketAddress,
} from './address.js'
import {
  InvalidArgumentError, MessageTooLargeError, PeerLostError, SocketClosedError, fromNative,
  type PeerLossReason,
} from './errors.js'
import { MessageBatch } from './message.js'
import { ReadMode } from './native.js'
import { SocketBase, type NamespaceOption } from './socket-base.js'
import { MAX_MESSAGE_SIZE } from './datagram-socket.js'

export type ConnectionKind = 'seqpacket' | 'stream'

export interface ConnectOptions extends NamespaceOption {
  kind?: ConnectionKind
  /** Give up after this many ms (TIPC_CONN_TIMEOUT; TIPC's default is 8000). */
  timeoutMs?: number
}

export interface ListenOptions extends NamespaceOption {
  kind?: ConnectionKind
  scope?: Scope
  backlog?: number
}

/** How a connection ended: undefined for a clean end (peer shutdown), else why. */
export type EndHandler = (err?: Error) => void

export class ConnectionSocket extends SocketBase {
  private handler: ((batch: MessageBatch) => void) | undefined
  private endHandler: EndHandler | undefined
  private ended = false
  private endError: Error | undefined

  private constructor(kind: ConnectionKind, fd = -1, netns?: string) {
    super(kind, fd, netns)
  }

  /** @internal wrap an accepted descriptor */
  static adopt(kind: ConnectionKind, fd: number): ConnectionSocket {
    return new ConnectionSocket(kind, fd)
  }

  /** Connect to a server by service address or socket address. */
  static async connect(dest: ServiceAddress | SocketAddress, options: ConnectOptions = {}): Promise<ConnectionSocket> {
    const kind = options.kind ?? 'seqpacket'
    if (kind !== 'seqpacket' && kind !== 'stream') throw new InvalidArgumentError(`kind must be 'seqpacket' or 'stream'`)
    if ('lower' in (dest as object)) throw new InvalidArgumentError('connect takes a service address or socket address, not a range')
    const socket = new ConnectionSocket(kind, -1, options.netns)
    try {
      if (options.timeoutMs !== undefined) socket.connTimeout = options.timeoutMs
      await socket.connectTo(dest)
      return socket
    } catch (err) {
      socket.close()
      throw err
    }
  }

  /** @internal connect to a reserved name (the topology server). */
  static async connectReserved(dest: ServiceAddress, netns?: string): Promise<ConnectionSocket> {
    const socket = new ConnectionSocket('seqpacket', -1, netns)
    try {
      await socket.connectTo(dest, true)
      return socket
    } catch (err) {
      socket.close()
      throw err
    }
  }

  private async connectTo(dest: ServiceAddress | SocketAddress, allowReserved = false): Promise<void> {
    const [k, a, b, c] = encodeDestination(dest, allowReserved)
    const state = this.call(() => this.native.connect(k, a, b, c), dest)
    if (state === 0) return
    await this.writable()
    const failure = this.call(() => this.native.connectResult())
    if (failure) throw fromNative(failure, dest)
  }

  /** The connected peer's socket address. */
  peer(): SocketAddress {
    const [node, ref] = this.call(() => this.native.getpeername())
    return { node, ref }
  }

  /**
   * SEQPACKET: send one message, boundaries kept; all or nothing. Returns
   * false when the connection's flow-control window is full: wait for
   * writable() and send again. (STREAM sockets use write().)
   */
  send(data: Uint8Array): boolean {
    if (this.kind !== 'seqpacket') throw new InvalidArgumentError('send() is for SEQPACKET; use write() on a STREAM socket')
    if (!(data instanceof Uint8Array)) throw new InvalidArgumentError('data must be a Uint8Array or Buffer')
    if (data.byteLength > MAX_MESSAGE_SIZE) throw new MessageTooLargeError(data.byteLength, MAX_MESSAGE_SIZE)
    return this.call(() => this.native.sendto(data, 0, 0, 0, 0)) >= 0
  }

  /**
   * STREAM: write bytes; returns how many the kernel took (possibly fewer
   * than given, 0 when congested). Write the rest after writable().
   */
  write(data: Uint8Array): number {
    if (this.kind !== 'stream') throw new InvalidArgumentError('write() is for STREAM; use send() on a SEQPACKET socket')
    if (!(data instanceof Uint8Array)) throw new InvalidArgumentError('data must be a Uint8Array or Buffer')
    return Math.max(0, this.call(() => this.native.sendto(data, 0, 0, 0, 0)))
  }

  /**
   * Receive messages (SEQPACKET) or chunks (STREAM) in batches, and learn how
   * the connection ends: `onEnd()` with no error after the peer's shutdown,
   * with PeerLostError or ConnectionResetError when the peer vanished.
   */
  onMessages(handler: (batch: MessageBatch) => void, onEnd?: EndHandler): void {
    this.handler = handler
    this.endHandler = onEnd
    if (this.ended) {
      queueMicrotask(() => this.endHandler?.(this.endError))
      return
    }
    this.setReadMode(ReadMode.Batches)
  }

  pause(): void {
    this.setReadMode(ReadMode.Off)
  }

  resume(): void {
    if (!this.ended) this.setReadMode(ReadMode.Batches)
  }

  /** End the connection cleanly: the peer sees end of stream, not a reset. Then close. */
  end(): void {
    if (this.closed) return
    try {
      this.call(() => this.native.shutdown())
    } finally {
      this.close()
    }
  }

  /** Half of end(): shutdown without closing. */
  shutdown(): void {
    this.call(() => this.native.shutdown())
  }

  protected override onBatch(buffer: ArrayBuffer, count: number, offset: number): void {
    const batch = new MessageBatch(buffer, count, offset)
    // A connection's last message may be its end: zero bytes (end of
    // stream) or TIPC error info (CONN_SHUTDOWN is clean; NO_PORT/NO_NODE
    // mean the peer is gone). Deliver the data before it, then end.
    for (let i = 0; i < count; i++) {
      const code = batch.errorCode(i)
      const eos = batch.byteLength(i) === 0 && !batch.isGroupEvent(i)
      if (!eos && code === 0) continue
      if (i > 0) this.handler?.(batch.slice(i))
      const why = batch.at(i).returned?.code
      this.finish(code === 0 || why === 'CONN_SHUTDOWN' ? undefined : new PeerLostError(peerLossReason(why)))
      return
    }
    this.handler?.(batch)
  }

  protected override onReceiveError(err: Error): void {
    // ENOTCONN: the peer shut down and the queue is drained, a clean end.
    this.finish((err as { code?: string }).code === 'ENOTCONN' ? undefined : err)
  }

  protected override onClose(): void {
    if (!this.ended) this.finish(new SocketClosedError(), false)
  }

  private finish(err: Error | undefined, notify = true): void {
    if (this.ended) return
    this.ended = true
    this.endError = err
    this.setReadMode(ReadMode.Off)
    if (notify) this.endHandler?.(err)
  }
}

/**
 * The kernel's code on a connection's last message, as a peer loss: NO_PORT
 * (the peer's socket closed without shutdown) and NO_NODE (its node was lost)
 * as they are; any other code means the kernel aborted the connection (e.g. an
 * OVERLOAD of the peer's queue), which is a reset.
 */
function peerLossReason(why: string | undefined): PeerLossReason {
  return why === 'NO_PORT' || why === 'NO_NODE' ? why : 'RESET'
}

/** A listening SEQPACKET or STREAM socket bound to a service name. */
export class TipcServer extends SocketBase {
  private connectionHandler: ((conn: ConnectionSocket) => void) | undefined

  private constructor(kind: ConnectionKind, netns?: string) {
    super(kind, -1, netns)
  }

  /** Bind `name` and listen. Connections arrive through onConnection(). */
  static listen(name: ServiceAddress | ServiceRange, options: ListenOptions = {}): TipcServer {
    const kind = options.kind ?? 'seqpacket'
    if (kind !== 'seqpacket' && kind !== 'stream') throw new InvalidArgumentError(`kind must be 'seqpacket' or 'stream'`)
    const r = toRange(name)
    const scope = scopeValue(options.scope ?? 'cluster')
    const server = new TipcServer(kind, options.netns)
    try {
      server.call(() => server.native.bind(r.type, r.lower, r.upper, scope, false), r)
      server.call(() => server.native.listen(options.backlog ?? 128))
    } catch (err) {
      server.close()
      throw err
    }
    return server
  }

  /** Accept connections as they come (starts watching the socket). */
  onConnection(handler: (conn: ConnectionSocket) => void): void {
    this.connectionHandler = handler
    this.setReadMode(ReadMode.Notify)
  }

  /** Accept one pending connection now, or null. */
  accept(): ConnectionSocket | null {
    const fd = this.call(() => this.native.accept())
    return fd < 0 ? null : ConnectionSocket.adopt(this.kind as ConnectionKind, fd)
  }

  protected override onReadable(): void {
    for (let conn = this.accept(); conn; conn = this.accept()) this.connectionHandler?.(conn)
  }
}
