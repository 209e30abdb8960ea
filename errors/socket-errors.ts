// Errors of a socket at work: nothing to send to, closed here, a peer gone,
// or a system call that failed. The binding throws them and the transports
// pass them on unchanged (same object, so `cause` chains survive).
import { formatDestination, type Destination } from './destination.js'
import { TipcRxError, type ErrorDetails } from './tipc-rx-error.js'

/**
 * Nothing matches the destination: no binding for a name or range, or an
 * unknown node for a socket address. Thrown synchronously by send; nothing
 * was sent and no returned message will follow (TIPC's EHOSTUNREACH).
 * `address` is set when the destination is known, never guessed.
 */
export class NoRouteError extends TipcRxError {
  constructor(address?: Destination, details: Omit<ErrorDetails, 'address'> = {}) {
    // A socket address names no binding: what is missing there is its node.
    const what = address === undefined
      ? 'nothing is bound to the destination'
      : 'ref' in address ? `no node ${address.node} is reachable for ${formatDestination(address)}` : `nothing is bound to ${formatDestination(address)}`
    super('EHOSTUNREACH', what, address === undefined ? details : { ...details, address })
  }
}

/** The socket (or listener, or connection) was closed by this side, before or during the operation. */
export class SocketClosedError extends TipcRxError {
  constructor(details: ErrorDetails = {}) {
    super('ERR_SOCKET_CLOSED', 'the socket is closed', details)
  }
}

/**
 * Why a connection's peer is gone: its socket closed without shutdown
 * (NO_PORT), its node was lost (NO_NODE), or the connection was reset.
 */
export type PeerLossReason = 'NO_PORT' | 'NO_NODE' | 'RESET'

/** A connection's peer vanished without a clean shutdown. */
export class PeerLostError extends TipcRxError {
  readonly reason: PeerLossReason
  constructor(reason: PeerLossReason, details: ErrorDetails = {}) {
    super('ERR_TIPC_PEER_LOST', `the connection's peer is gone (${reason})`, details)
    this.reason = reason
  }
}

/** Any other failed system call; `code` is the errno name (e.g. "EADDRINUSE"), with `errno` and `syscall`. */
export class TipcSystemError extends TipcRxError {}
