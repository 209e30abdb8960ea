// The topic layer's errors: one class per failure, each with a stable `code`
// (ERR_TIPC_*), extending TipcRxError like every error of the package. A plain
// list of classes; the transport's errors (NoRouteError, ...) are not repeated here.
import { TipcRxError } from '../../errors/index.js'

export { TipcRxError }

/** whenSubscribed(n) gave up: fewer than `expected` subscribers were known when its timeout ran out. */
export class PresenceTimeoutError extends TipcRxError {
  readonly expected: number
  readonly known: number
  readonly timeoutMs: number
  constructor(expected: number, known: number, timeoutMs: number) {
    super('ERR_TIPC_PRESENCE_TIMEOUT', `${known} of ${expected} subscribers known after ${timeoutMs} ms`)
    this.expected = expected
    this.known = known
    this.timeoutMs = timeoutMs
  }
}

/** The presence was closed (its bus or topic closed) while something waited on it. */
export class PresenceClosedError extends TipcRxError {
  constructor() {
    super('ERR_TIPC_PRESENCE_CLOSED', 'presence closed')
  }
}
