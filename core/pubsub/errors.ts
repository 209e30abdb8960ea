// The topic layer's errors: one class per failure, each with a stable `code`
// (ERR_TIPC_*), extending TipcRxError like every error of the package. A plain
// list of classes; the transport's errors (NoRouteError, ...) are not repeated here.
import { TipcRxError } from '../../errors/index.js'

export { TipcRxError }

/** A topic (or queue group, see checkGroup) name that is not a non-empty string of at most 255 UTF-8 bytes without control characters or lone surrogates. */
export class InvalidTopicError extends TipcRxError {
  /** The name as given (not necessarily a string). */
  readonly topic: unknown
  constructor(topic: unknown, why: string, what = 'topic name') {
    super('ERR_TIPC_INVALID_TOPIC', `invalid ${what}: ${why}`)
    this.topic = topic
  }
}

/** A message key that is not a string or bytes of 1..255 bytes (UTF-8 for a string, which must not hold lone surrogates). */
export class InvalidKeyError extends TipcRxError {
  constructor(why: string) {
    super('ERR_TIPC_INVALID_KEY', `invalid message key: ${why}`)
  }
}
