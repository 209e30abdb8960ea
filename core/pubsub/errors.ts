// The topic layer's errors: one class per failure, each with a stable `code`
// (ERR_TIPC_*), extending TipcRxError like every error of the package. A plain
// list of classes; the transport's errors (NoRouteError, ...) are not repeated here.
import { TipcRxError } from '../../errors/index.js'

export { TipcRxError }

/**
 * A subscription's receive buffer was full under the 'error' overflow policy:
 * the subscriber did not keep up, and it asked to be told rather than to lose
 * messages silently or to slow the publishers down.
 */
export class ReceiveBufferOverflowError extends TipcRxError {
  /** The buffer's bound, in deliveries. */
  readonly size: number
  constructor(size: number) {
    super('ERR_TIPC_RECEIVE_BUFFER_OVERFLOW', `receive buffer full (${size} deliveries): the subscriber did not keep up`)
    this.size = size
  }
}
