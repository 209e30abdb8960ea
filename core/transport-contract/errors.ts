// Typed errors of the transport contract. Every transport throws these same
// classes with these same stable `code`s, so code above the transport (and
// users) can branch on `code` without knowing which transport is in use. A
// transport that wraps a lower-level error (a binding's, a socket's) passes it
// as `cause`. The classes a socket shares with the binding (and the base,
// TipcRxError) are defined once in errors/ and re-exported here: tipc-rx and
// tipc-rx/bindings hand out the same class for the same failure.
import { formatDestination, type Destination } from '../../errors/destination.js'
import { TipcRxError, type ErrorDetails } from '../../errors/index.js'

export * from '../../errors/index.js'

/** The transport was closed, or its node crashed; nothing can be opened on it. */
export class TransportClosedError extends TipcRxError {
  constructor(details: ErrorDetails = {}) {
    super('ERR_TIPC_TRANSPORT_CLOSED', 'the transport is closed', details)
  }
}

/** Send on a connection that has already ended; `cause` is how it ended, if by error. */
export class ConnectionEndedError extends TipcRxError {
  constructor(details: ErrorDetails = {}) {
    super('EPIPE', 'the connection has ended', details)
  }
}

/** The connect reached no listening socket, or the listener closed before accepting. */
export class ConnectionRefusedError extends TipcRxError {
  constructor(address: Destination, details: Omit<ErrorDetails, 'address'> = {}) {
    super('ECONNREFUSED', `connection to ${formatDestination(address)} refused`, { ...details, address })
  }
}

/** The listener did not accept within the connect timeout. */
export class ConnectTimeoutError extends TipcRxError {
  readonly timeoutMs: number
  constructor(address: Destination, timeoutMs: number, details: Omit<ErrorDetails, 'address'> = {}) {
    super('ETIMEDOUT', `connection to ${formatDestination(address)} not accepted within ${timeoutMs} ms`, { ...details, address })
    this.timeoutMs = timeoutMs
  }
}

/** A transport that was asked for by name cannot run here; `reason` says why. */
export class TransportUnavailableError extends TipcRxError {
  readonly kind: string
  readonly reason: string
  constructor(kind: string, reason: string, details: ErrorDetails = {}) {
    super('ERR_TIPC_TRANSPORT_UNAVAILABLE', `the ${kind} transport is not available: ${reason}`, details)
    this.kind = kind
    this.reason = reason
  }
}

/** 'auto' found no transport that works here; `reasons` says why, per transport. */
export class NoTransportError extends TipcRxError {
  readonly reasons: Readonly<Record<string, string>>
  constructor(reasons: Record<string, string>) {
    const list = Object.entries(reasons).map(([k, r]) => `${k}: ${r}`).join('; ')
    super('ERR_TIPC_NO_TRANSPORT', `no transport is available (${list})`)
    this.reasons = reasons
  }
}

// The one failure the open registry adds: a transport asked for by a name
// nobody registered. It lists the names that are registered, because the
// usual cause is a typo or a transport whose module was never imported.
/** open(), selectTransport() or TIPC_RX_TRANSPORT named a transport that is not registered. */
export class UnknownTransportError extends TipcRxError {
  /** The name asked for. */
  readonly kind: string
  /** The names that are registered, in registration order. */
  readonly registered: readonly string[]

  constructor(kind: string, registered: readonly string[], asker: string) {
    super(
      'ERR_TIPC_UNKNOWN_TRANSPORT',
      `${asker} must be one of auto, ${registered.join(', ')}; got '${kind}' (no transport of that name is registered)`,
    )
    this.kind = kind
    this.registered = registered
  }
}
