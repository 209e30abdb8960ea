// The topic layer's errors: one class per failure, each with a stable `code`
// (ERR_TIPC_*), extending TipcRxError like every error of the package. A plain
// list of classes; the transport's errors (NoRouteError, ...) are not repeated here.
import { TipcRxError } from '../../errors/index.js'

export { TipcRxError }

/**
 * The publisher was closed (or its bus was): a publish waiting for room in
 * the in-flight window is refused, and nothing new is tracked. `reason` says
 * why it closed, as the closer put it.
 */
export class PublisherClosedError extends TipcRxError {
  readonly reason: string
  constructor(reason: string, cause?: unknown) {
    super('ERR_TIPC_PUBLISHER_CLOSED', `the publisher is closed (${reason})`, cause === undefined ? {} : { cause })
    this.reason = reason
  }
}
