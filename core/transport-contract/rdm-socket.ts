// A reliable-datagram socket (TIPC's SOCK_RDM): the workhorse of pub/sub.
import type { Destination, Scope, ServiceAddress, ServiceRange, SocketAddress } from './address.js'
import type { BatchHandler } from './message.js'

export interface RdmSocket {
  /** This socket's own address, {node, ref}. */
  readonly address: SocketAddress
  /** True once close() was called (or the transport closed, or its node crashed). */
  readonly closed: boolean

  /**
   * Bind a service address or range, visible in `scope` (default 'cluster').
   * A socket may hold many bindings. Types below 64 throw ReservedTypeError.
   */
  bind(name: ServiceAddress | ServiceRange, scope?: Scope): void
  /** Withdraw a binding made with the same name and scope; InvalidArgumentError if there is none. */
  unbind(name: ServiceAddress | ServiceRange, scope?: Scope): void

  /**
   * Send one message: to a service address (anycast, round-robin over the
   * matching bindings), a range (multicast, one copy per socket with an
   * overlapping binding) or a socket address (unicast).
   *
   * Returns true when the message was taken, false when the way is congested
   * and the message was NOT taken: await writable() and send it again. There
   * is no hidden send buffer. `data` is copied before send returns: the
   * caller may write over it at once.
   *
   * Throws synchronously: NoRouteError when nothing matches (nothing sent, no
   * returned message follows), MessageTooLargeError over 66000 bytes,
   * InvalidArgumentError / ReservedTypeError for a bad address,
   * SocketClosedError once closed.
   */
  send(dest: Destination, data: Uint8Array): boolean

  /**
   * Send several messages to one destination, in order. Returns how many were
   * taken; fewer than all means congestion (await writable(), send the rest).
   * Every message is size-checked before the first is sent.
   */
  sendBatch(dest: Destination, messages: readonly Uint8Array[]): number

  /**
   * Resolves when a send that returned false may be retried. Rejects with
   * SocketClosedError if the socket closes first.
   */
  writable(): Promise<void>

  /**
   * Receive messages and returned messages in batches, as they arrive.
   * Replaces any previous handler. Until a handler is set, messages wait in
   * the socket's receive queue; past its limit, senders get OVERLOAD.
   * `onError` hears receive failures of the underlying socket (reading stops).
   *
   * Returned messages (`returned` set) follow TIPC's rules (docs/transports.md,
   * "Returned messages"): a unicast or anycast message comes back to the
   * socket that sent it. A multicast copy comes back to its sender only when
   * it was rejected on the sender's own node; one rejected on another node
   * comes back to the sender's node by name, to every socket there with a
   * cluster-scope binding overlapping the range it was sent to, sender or
   * not. So a sender cannot count on its multicast copies coming back, and a
   * socket bound to a range may receive returned copies of messages it never
   * sent (`from` is the rejecting socket, `dest` the range, nothing names the
   * sender): it must recognise them by their data.
   */
  onMessages(handler: BatchHandler, onError?: (err: Error) => void): void
  /** Stop handing over messages; they queue (and overflow as OVERLOAD returns). */
  pause(): void
  /** Hand over again after pause(). */
  resume(): void

  /**
   * Close: bindings are withdrawn, messages left unread are returned with
   * NO_PORT (multicast copies by the rules of onMessages), pending
   * writable() promises reject. Idempotent.
   */
  close(): void
}
