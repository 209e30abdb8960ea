// The topic layer's errors: one class per failure, each with a stable `code`
// (ERR_TIPC_*), extending TipcRxError like every error of the package. A plain
// list of classes; the transport's errors (NoRouteError, ...) are not repeated here.
import { formatDestination, type SocketAddress } from '../../errors/destination.js'
import { TipcRxError } from '../../errors/index.js'

export { TipcRxError }

// ---- schema fetch (schema-fetch.ts) ----

/**
 * A subscriber asked a publisher for the schema a message was written with
 * (twice: once more after half the time) and got no answer within `timeoutMs`.
 * The message cannot be decoded; it goes to the topic's failure stream.
 */
export class SchemaFetchTimeoutError extends TipcRxError {
  /** The schema's fingerprint, as 16 hex digits of its codec id. */
  readonly schema: string
  readonly publisher: SocketAddress
  readonly timeoutMs: number
  constructor(schema: string, publisher: SocketAddress, timeoutMs: number) {
    super(
      'ERR_TIPC_SCHEMA_FETCH_TIMEOUT',
      `schema ${schema} was not received from ${formatDestination(publisher)} within ${timeoutMs} ms`,
      { address: publisher },
    )
    this.schema = schema
    this.publisher = publisher
    this.timeoutMs = timeoutMs
  }
}

/**
 * More messages wait for schemas to arrive than the fetcher holds
 * (`maxPending`): this one is not held (and not decoded). A flood of messages
 * under unknown fingerprints cannot grow the subscriber's memory.
 */
export class SchemaFetchOverflowError extends TipcRxError {
  readonly maxPending: number
  constructor(maxPending: number) {
    super('ERR_TIPC_SCHEMA_FETCH_OVERFLOW', `${maxPending} messages already wait for schemas to be fetched (maxPending)`)
    this.maxPending = maxPending
  }
}
