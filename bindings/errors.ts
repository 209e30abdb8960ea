// The binding's errors. The classes shared with the transports come from
// errors/ (one class per failure across the package); this file adds the ones
// that only the binding knows, and maps what the addon throws onto them.
// System errors keep the kernel's view (`errno`, `syscall`), the address
// involved, and the native error as `cause`.
import type { Destination } from '../errors/destination.js'
import {
  InvalidArgumentError, NoRouteError, SocketClosedError, TipcRxError, TipcSystemError, type ErrorDetails,
} from '../errors/index.js'

export * from '../errors/index.js'

/** AF_TIPC does not work here: no kernel support, or the addon is not built. `reason` says which. */
export class TipcUnavailableError extends TipcRxError {
  readonly reason: string
  constructor(reason: string, details: ErrorDetails = {}) {
    super('ERR_TIPC_UNAVAILABLE', `TIPC is not available: ${reason}`, details)
    this.reason = reason
  }
}

/**
 * A connection's receive failed with ECONNRESET: the kernel aborted it. The
 * binding reports the kernel's errno as it is; the transport contract calls
 * the same event PeerLostError('RESET'), with this error as its `cause`.
 */
export class ConnectionResetError extends TipcRxError {
  constructor(details: ErrorDetails = {}) {
    super('ECONNRESET', 'the peer reset the connection', details)
  }
}

/**
 * A borrowed batch (DatagramSocket.onBorrowedMessages) was used after its
 * callback returned: its memory already holds, or will soon hold, later
 * messages. Copy what must outlive the callback (`batch.copy()`).
 */
export class BatchReleasedError extends TipcRxError {
  constructor() {
    super('ERR_TIPC_BATCH_RELEASED', 'a borrowed batch is valid only during its callback; use batch.copy() to keep it')
  }
}

interface NativeError extends Error {
  code?: string
  errno?: number
  syscall?: string
  sent?: number
}

/**
 * Map an error thrown by the addon onto the typed class for its code,
 * adding the address involved. Errors that are already ours pass through.
 */
export function fromNative(err: unknown, address?: Destination): Error {
  if (err instanceof TipcRxError || !(err instanceof Error)) return err as Error
  const e = err as NativeError
  const details: ErrorDetails = { cause: err }
  if (e.errno !== undefined) details.errno = e.errno
  if (e.syscall !== undefined) details.syscall = e.syscall
  if (address !== undefined) details.address = address
  let mapped: TipcRxError
  switch (e.code) {
    case 'EHOSTUNREACH': mapped = new NoRouteError(address, details); break
    case 'ECONNRESET': mapped = new ConnectionResetError(details); break
    case 'ERR_SOCKET_CLOSED': mapped = new SocketClosedError({ cause: err }); break
    case 'EAFNOSUPPORT': mapped = new TipcUnavailableError(e.message, details); break
    // The addon's own argument checks (sendBatch's lengths, counts, types; a UDP packet over 65507 bytes).
    case 'ERR_INVALID_ARG_VALUE':
    case 'ERR_INVALID_ARG_TYPE':
    case 'ERR_UDP_PACKET_TOO_LARGE': mapped = new InvalidArgumentError(e.message, { cause: err }); break
    default:
      if (typeof e.code === 'string') mapped = new TipcSystemError(e.code, e.message, details)
      else return err
  }
  if (e.sent !== undefined) Object.defineProperty(mapped, 'sent', { value: e.sent, enumerable: true })
  return mapped
}
