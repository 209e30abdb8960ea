// Typed errors of the transport contract. Every transport throws these same
// classes with these same stable `code`s, so code above the transport (and
// users) can branch on `code` without knowing which transport is in use. A
// transport that wraps a lower-level error (a binding's, a socket's) passes it
// as `cause`. Codes that exist in bindings/ for the same failure are reused.
import type { Destination } from './address.js'

export interface TransportErrorDetails {
  /** The address involved, when there is one. */
  address?: Destination
  /** The lower-level error this one explains. */
  cause?: unknown
}

/** Base class of every error the transports throw. */
export class TransportError extends Error {
  readonly code: string
  readonly address?: Destination

  constructor(code: string, message: string, details: TransportErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = new.target.name
    this.code = code
    if (details.address !== undefined) this.address = details.address
  }
}

/** A malformed address, option or argument, refused before anything is sent. */
export class InvalidArgumentError extends TransportError {
  constructor(message: string, details: TransportErrorDetails = {}) {
    super('ERR_TIPC_INVALID_ARGUMENT', message, details)
  }
}

/** Service types below 64 belong to TIPC itself. */
export class ReservedTypeError extends TransportError {
  readonly type: number
  constructor(type: number) {
    super('ERR_TIPC_RESERVED_TYPE', `service type ${type} is reserved by TIPC (user types start at 64)`)
    this.type = type
  }
}

/**
 * Nothing matches the destination: no binding for a name or range, or an
 * unknown node for a socket address. Thrown synchronously by send; nothing
 * was sent and no returned message will follow (TIPC's EHOSTUNREACH).
 */
export class NoRouteError extends TransportError {
  constructor(address: Destination, details: TransportErrorDetails = {}) {
    super('EHOSTUNREACH', `nothing is bound to ${describe(address)}`, { ...details, address })
  }
}

/** A message over the transport's limit (66000 bytes), refused before any send. */
export class MessageTooLargeError extends TransportError {
  readonly size: number
  readonly limit: number
  constructor(size: number, limit: number) {
    super('ERR_TIPC_MESSAGE_TOO_LARGE', `message of ${size} bytes exceeds the limit of ${limit} bytes`)
    this.size = size
    this.limit = limit
  }
}

/** The socket (or listener, or connection) was closed by this side. */
export class SocketClosedError extends TransportError {
  constructor(details: TransportErrorDetails = {}) {
    super('ERR_SOCKET_CLOSED', 'the socket is closed', details)
  }
}

/** The transport was closed, or its node crashed; nothing can be opened on it. */
export class TransportClosedError extends TransportError {
  constructor(details: TransportErrorDetails = {}) {
    super('ERR_TIPC_TRANSPORT_CLOSED', 'the transport is closed', details)
  }
}

/** Why a connection's peer is gone: its socket closed without shutdown, its node was lost, or a reset. */
export type PeerLossReason = 'NO_PORT' | 'NO_NODE' | 'RESET'

/** A connection's peer vanished without a clean shutdown. */
export class PeerLostError extends TransportError {
  readonly reason: PeerLossReason
  constructor(reason: PeerLossReason, details: TransportErrorDetails = {}) {
    super('ERR_TIPC_PEER_LOST', `the connection's peer is gone (${reason})`, details)
    this.reason = reason
  }
}

/** Send on a connection that has already ended; `cause` is how it ended, if by error. */
export class ConnectionEndedError extends TransportError {
  constructor(details: TransportErrorDetails = {}) {
    super('EPIPE', 'the connection has ended', details)
  }
}

/** The connect reached no listening socket, or the listener closed before accepting. */
export class ConnectionRefusedError extends TransportError {
  constructor(address: Destination, details: TransportErrorDetails = {}) {
    super('ECONNREFUSED', `connection to ${describe(address)} refused`, { ...details, address })
  }
}

/** The listener did not accept within the connect timeout. */
export class ConnectTimeoutError extends TransportError {
  readonly timeoutMs: number
  constructor(address: Destination, timeoutMs: number) {
    super('ETIMEDOUT', `connection to ${describe(address)} not accepted within ${timeoutMs} ms`, { address })
    this.timeoutMs = timeoutMs
  }
}

/** A transport that was asked for by name cannot run here; `reason` says why. */
export class TransportUnavailableError extends TransportError {
  readonly kind: string
  readonly reason: string
  constructor(kind: string, reason: string, details: TransportErrorDetails = {}) {
    super('ERR_TIPC_TRANSPORT_UNAVAILABLE', `the ${kind} transport is not available: ${reason}`, details)
    this.kind = kind
    this.reason = reason
  }
}

/** 'auto' found no transport that works here; `reasons` says why, per transport. */
export class NoTransportError extends TransportError {
  readonly reasons: Readonly<Record<string, string>>
  constructor(reasons: Record<string, string>) {
    const list = Object.entries(reasons).map(([k, r]) => `${k}: ${r}`).join('; ')
    super('ERR_TIPC_NO_TRANSPORT', `no transport is available (${list})`)
    this.reasons = reasons
  }
}

function describe(address: Destination): string {
  if ('ref' in address) return `socket <${address.node}:${address.ref}>`
  if ('instance' in address) return `{${address.type}, ${address.instance}}`
  return `{${address.type}, ${address.lower}, ${address.upper}}`
}
