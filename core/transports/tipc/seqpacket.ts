// SEQPACKET on the kernel: listen/accept by name and non-blocking connect
// come from the binding; this file gives them the contract's lifecycle
// (ended, whenEnded, typed ends) and errors.
import { ConnectionSocket, TipcServer, type MessageBatch as NativeBatch } from '../../../bindings/index.js'
import {
  ConnectionEndedError, DEFAULT_CONNECT_TIMEOUT_MS, InvalidArgumentError, SocketClosedError, checkMessage, checkScope,
  checkSocketAddress, toRange,
  type BatchHandler, type ConnectOptions, type EndHandler, type ListenOptions, type MessageBatch,
  type SeqpacketConnection, type SeqpacketListener, type ServiceAddress, type ServiceRange, type SocketAddress,
} from '../../transport-contract/index.js'
import { fromBinding, fromBindingConnect, mapped } from './errors.js'

export class TipcSeqpacketConnection implements SeqpacketConnection {
  readonly address: SocketAddress
  readonly peer: SocketAddress
  private readonly socket: ConnectionSocket
  private endedWith: { err: Error | undefined } | undefined
  private readonly endWaiters: Array<(err: Error | undefined) => void> = []
  private endHandler: EndHandler | undefined
  private reading = false

  constructor(socket: ConnectionSocket, private readonly onClose: (c: TipcSeqpacketConnection) => void) {
    this.socket = socket
    this.address = socket.address()
    this.peer = socket.peer()
  }

  /** Set when the end came from the peer (EOF or loss) before this side ended or closed. */
  private peerEnded: { err: Error | undefined } | undefined

  get ended(): boolean {
    return this.endedWith !== undefined
  }

  send(data: Uint8Array): boolean {
    checkMessage(data)
    // Ended by the peer first reads as EPIPE (with why) even once the socket is closed here, as on the
    // other transports: the end()/close() that follows a peer loss must not turn it into SocketClosedError.
    if (this.peerEnded) throw new ConnectionEndedError(this.peerEnded.err ? { cause: this.peerEnded.err } : {})
    if (this.socket.closed) throw new SocketClosedError()
    if (this.endedWith) throw new ConnectionEndedError(this.endedWith.err ? { cause: this.endedWith.err } : {})
    try {
      return this.socket.send(data)
    } catch (err) {
      // the peer ended between our check and the send
      const code = (err as { code?: string }).code
      if (code === 'EPIPE' || code === 'ENOTCONN' || code === 'ECONNRESET') throw new ConnectionEndedError({ cause: err })
      throw fromBinding(err)
    }
  }

  writable(): Promise<void> {
    if (this.endedWith) return Promise.reject(new ConnectionEndedError())
    return this.socket.writable().catch(err => { throw fromBinding(err) })
  }

  onMessages(handler: BatchHandler, onEnd?: EndHandler): void {
    this.endHandler = onEnd
    this.reading = true
    this.socket.onMessages(
      (batch: NativeBatch) => handler(batch as unknown as MessageBatch),
      err => {
        const mapped = err === undefined ? undefined : fromBinding(err)
        if (this.endedWith === undefined) this.peerEnded = { err: mapped }
        this.finish(mapped)
      },
    )
  }

  pause(): void {
    if (this.reading) this.socket.pause()
  }

  resume(): void {
    if (this.reading) this.socket.resume()
  }

  whenEnded(): Promise<Error | undefined> {
    if (this.endedWith) return Promise.resolve(this.endedWith.err)
    return new Promise(resolve => this.endWaiters.push(resolve))
  }

  end(): void {
    if (this.socket.closed) return
    mapped(() => this.socket.end())
    this.finish(undefined)
    this.onClose(this)
  }

  close(): void {
    if (this.socket.closed) return
    this.socket.close()
    this.finish(new SocketClosedError())
    this.onClose(this)
  }

  private finish(err: Error | undefined): void {
    if (this.endedWith) return
    this.endedWith = { err }
    this.endHandler?.(err)
    for (const w of this.endWaiters.splice(0)) w(err)
  }
}

export class TipcSeqpacketListener implements SeqpacketListener {
  readonly address: SocketAddress
  readonly name: ServiceRange
  private readonly server: TipcServer

  constructor(
    name: ServiceAddress | ServiceRange,
    options: ListenOptions,
    netns: string | undefined,
    private readonly track: (c: TipcSeqpacketConnection) => void,
    private readonly onClose: (l: TipcSeqpacketListener) => void,
    private readonly untrack: (c: TipcSeqpacketConnection) => void,
  ) {
    this.name = toRange(name)
    const scope = checkScope(options.scope ?? 'cluster')
    this.server = mapped(() => TipcServer.listen(this.name, { scope, ...(netns === undefined ? {} : { netns }) }))
    this.address = this.server.address()
  }

  get closed(): boolean {
    return this.server.closed
  }

  onConnection(handler: (connection: SeqpacketConnection) => void): void {
    this.server.onConnection(socket => {
      const connection = new TipcSeqpacketConnection(socket, c => this.untrack(c))
      this.track(connection)
      handler(connection)
    })
  }

  close(): void {
    if (this.server.closed) return
    this.server.close()
    this.onClose(this)
  }
}

function checkConnectDestination(dest: ServiceAddress | SocketAddress): ServiceAddress | SocketAddress {
  if (dest !== null && typeof dest === 'object' && 'ref' in dest) return checkSocketAddress(dest)
  if (dest !== null && typeof dest === 'object' && 'lower' in dest) {
    throw new InvalidArgumentError('connect takes a service address or a socket address, not a range')
  }
  const range = toRange(dest)
  return { type: range.type, instance: range.lower }
}

export async function connect(
  dest: ServiceAddress | SocketAddress,
  options: ConnectOptions,
  netns: string | undefined,
  onClose: (c: TipcSeqpacketConnection) => void,
): Promise<TipcSeqpacketConnection> {
  const d = checkConnectDestination(dest)
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  try {
    const socket = await ConnectionSocket.connect(d, { timeoutMs, ...(netns === undefined ? {} : { netns }) })
    return new TipcSeqpacketConnection(socket, onClose)
  } catch (err) {
    throw fromBindingConnect(err, d, timeoutMs)
  }
}
