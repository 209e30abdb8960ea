// The error classes shared by every layer of tipc-rx (re-exports only).
// tipc-rx and tipc-rx/bindings re-export these same classes, so one failure
// is one class whichever entry a program uses. The address vocabulary they
// name is in destination.ts.
export { InvalidArgumentError, MessageTooLargeError, ReservedTypeError } from './refusals.js'
export { NoRouteError, PeerLostError, SocketClosedError, TipcSystemError, type PeerLossReason } from './socket-errors.js'
export { TipcRxError, type ErrorDetails } from './tipc-rx-error.js'
