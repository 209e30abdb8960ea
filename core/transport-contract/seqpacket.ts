// Connections (TIPC's SOCK_SEQPACKET): message boundaries kept, end-to-end
// flow control, and an end that says how: clean (the peer shut down) or a
// typed PeerLostError (its socket or node vanished).
import type { Scope, ServiceAddress, ServiceRange, SocketAddress } from './address.js'
import type { BatchHandler } from './message.js'

export interface ListenOptions {
  /** Where the listener's name is visible (default 'cluster'). */
  scope?: Scope
}

export interface ConnectOptions {
  /** Reject with ConnectTimeoutError if not accepted by then (default 8000, TIPC's). */
  timeoutMs?: number
}

/**
 * How a connection ended: undefined for a clean end (the peer called end()),
 * PeerLostError when the peer vanished, SocketClosedError when this side closed.
 */
export type EndHandler = (err: Error | undefined) => void

export interface SeqpacketListener {
  /** The listening socket's address. */
  readonly address: SocketAddress
  /** The name it is bound to, as a range. */
  readonly name: ServiceRange
  readonly closed: boolean
  /**
   * Accept connections as they come. A connect completes only when it is
   * accepted here (TIPC semantics), so connects wait until a handler is set.
   */
  onConnection(handler: (connection: SeqpacketConnection) => void): void
  /** Stop listening: the name is withdrawn; connects not yet accepted are refused. */
  close(): void
}

export interface SeqpacketConnection {
  readonly address: SocketAddress
  /** The socket at the other end. */
  readonly peer: SocketAddress
  /** True once the connection ended, either way. */
  readonly ended: boolean

  /**
   * Send one message, boundaries kept. Returns false when the flow-control
   * window is full (the peer has not consumed enough): the message was NOT
   * taken; await writable() and send again. Throws MessageTooLargeError,
   * SocketClosedError (closed here) or ConnectionEndedError (ended by the peer).
   */
  send(data: Uint8Array): boolean
  /** Resolves when send may be retried; rejects once the connection ends. */
  writable(): Promise<void>

  /**
   * Receive in batches. `onEnd` is called once, after every message sent
   * before the end was delivered. Messages wait until a handler is set, and
   * unconsumed messages hold the sender back (flow control), never overflow.
   */
  onMessages(handler: BatchHandler, onEnd?: EndHandler): void
  pause(): void
  resume(): void
  /** Resolves (never rejects) with how the connection ended: undefined when clean. */
  whenEnded(): Promise<Error | undefined>

  /** Shut down cleanly (the peer sees a clean end after all sent data), then close. */
  end(): void
  /** Close abruptly: the peer sees PeerLostError('NO_PORT'). Idempotent. */
  close(): void
}

/** What a transport offers for connections. */
export interface SeqpacketApi {
  listen(name: ServiceAddress | ServiceRange, options?: ListenOptions): SeqpacketListener
  /**
   * Connect by service address (anycast to a listener) or socket address.
   * Rejects with NoRouteError when nothing is bound to the name,
   * ConnectionRefusedError when no listener takes it, ConnectTimeoutError.
   */
  connect(dest: ServiceAddress | SocketAddress, options?: ConnectOptions): Promise<SeqpacketConnection>
}
