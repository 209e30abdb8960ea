// Errors for what is refused before anything reaches the kernel or the
// wire: the same checks (and so the same classes) in the binding and in
// every transport.
import { RESERVED_TYPES } from './destination.js'
import { TipcRxError, type ErrorDetails } from './tipc-rx-error.js'

/** A malformed address, option or argument, refused before anything is sent. */
export class InvalidArgumentError extends TipcRxError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('ERR_TIPC_INVALID_ARGUMENT', message, details)
  }
}

/** Service types below 64 belong to TIPC itself. */
export class ReservedTypeError extends TipcRxError {
  readonly type: number
  constructor(type: number) {
    super('ERR_TIPC_RESERVED_TYPE', `service type ${type} is reserved by TIPC (user types start at ${RESERVED_TYPES})`)
    this.type = type
  }
}

/** A message over the limit (TIPC's 66000 bytes), refused before any send. */
export class MessageTooLargeError extends TipcRxError {
  readonly size: number
  readonly limit: number
  constructor(size: number, limit: number) {
    super('ERR_TIPC_MESSAGE_TOO_LARGE', `message of ${size} bytes exceeds the limit of ${limit} bytes`)
    this.size = size
    this.limit = limit
  }
}
