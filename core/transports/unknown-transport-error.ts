// The one failure the open registry adds: a transport asked for by a name
// nobody registered. It lists the names that are registered, because the
// usual cause is a typo or a transport whose module was never imported.
import { TransportError } from '../transport-contract/errors.js'

/** open(), selectTransport() or TIPC_RX_TRANSPORT named a transport that is not registered. */
export class UnknownTransportError extends TransportError {
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
