// Typed errors of the binding. Each has a stable `code`; system errors keep
// the kernel's view (`errno`, `syscall`) and the address involved, and the
// original native error as `cause`.
import type { Destination } from './address.js'

export interface TipcErrorDetails {
  errno?: number
  syscall?: string
  address?: Destination
  cause?: unknown
}

/** Base class of every error this package throws for TIPC. */
export class TipcError extends Error {
  readonly code: string
  readonly errno?: number
  readonly syscall?: string
  readonly address?: Destination

  constructor(code: string, message: string, details: TipcErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = new.target.name
    this.code = code
    if (details.errno !== undefined) this.errno = details.errno
    if (details.syscall !== undefined) this.syscall = details.syscall
    if (details.address !== undefined) this.address = details.address
  }
}

/** AF_TIPC does not work here: no kernel support, or the addon is not built. */
export class TipcUnavailableError extends TipcError {
  constructor(reason: string, details: TipcErrorDetails = {}) {
    super('ERR_TIPC_UNAVAILABLE', `TIPC is not available: ${reason}`, details)
  }
}

/** No socket is bound to the destination name (EHOSTUNREACH): nothing was sent. */
export class NoRouteError extends TipcError {
  constructor(details: TipcErrorDetails) {
    super('EHOSTUNREACH', `no socket is bound to ${describe(details.address)}`, details)
  }
}

/** A message over 66000 bytes (TIPC's limit), refused before any syscall. */
export class MessageTooLargeError extends TipcError {
  readonly size: number
  constructor(size: number, limit: number) {
    super('ERR_TIPC_MESSAGE_TOO_LARGE', `message of ${size} bytes exceeds TIPC's limit of ${limit} bytes`)
    this.size = size
  }
}

/** Service types below 64 belong to TIPC itself. */
export class ReservedTypeError extends TipcError {
  readonly type: number
  constructor(type: number) {
    super('ERR_TIPC_RESERVED_TYPE', `service type ${type} is reserved by TIPC (user types start at 64)`)
    this.type = type
  }
}

/** A malformed address or argument, refused before any syscall. */
export class InvalidArgumentError extends TipcError {
  constructor(message: string) {
    super('ERR_TIPC_INVALID_ARGUMENT', message)
  }
}

/** The socket was closed (by this process) before or during the operation. */
export class SocketClosedError extends TipcError {
  constructor() {
    super('ERR_SOCKET_CLOSED', 'the TIPC socket is closed')
  }
}

/** The peer closed the connection without shutdown, or the connection was aborted. */
export class ConnectionResetError extends TipcError {
  constructor(details: TipcErrorDetails = {}) {
    super('ECONNRESET', 'the peer reset the connection', details)
  }
}

/** The peer's socket or node disappeared (TIPC returned NO_PORT / NO_NODE). */
export class PeerLostError extends TipcError {
  readonly reason: string
  constructor(reason: string, details: TipcErrorDetails = {}) {
    super('ERR_TIPC_PEER_LOST', `the connection's peer is gone (${reason})`, details)
    this.reason = reason
  }
}

/** Any other failed syscall; `code` is the errno name (e.g. "EADDRINUSE"). */
export class TipcSystemError extends TipcError {}

export function describe(address: Destination | undefined): string {
  if (!address) return 'the destination'
  if ('ref' in address) return `socket <${address.node}:${address.ref}>`
  if ('instance' in address) return `{${address.type}, ${address.instance}}`
  return `{${address.type}, ${address.lower}, ${address.upper}}`
}

interface NativeError extends Error {
  code?: string
  errno?: number
  syscall?: string
  sent?: number
}

/**
 * Map an error thrown by the addon onto the typed class for its errno,
 * adding the address involved. Errors that are already ours pass through.
 */
export function fromNative(err: unknown, address?: Destination): Error {
  if (err instanceof TipcError || !(err instanceof Error)) return err as Error
  const e = err as NativeError
  const details: TipcErrorDetails = { cause: err }
  if (e.errno !== undefined) details.errno = e.errno
  if (e.syscall !== undefined) details.syscall = e.syscall
  if (address !== undefined) details.address = address
  let mapped: TipcError
  switch (e.code) {
    case 'EHOSTUNREACH': mapped = new NoRouteError(details); break
    case 'ECONNRESET': mapped = new ConnectionResetError(details); break
    case 'ERR_SOCKET_CLOSED': mapped = new SocketClosedError(); break
    case 'EAFNOSUPPORT': mapped = new TipcUnavailableError(e.message, details); break
    default:
      if (typeof e.code === 'string') mapped = new TipcSystemError(e.code, e.message, details)
      else return err
  }
  if (e.sent !== undefined) Object.defineProperty(mapped, 'sent', { value: e.sent, enumerable: true })
  return mapped
}
