// The topic layer's errors: one class per failure, each with a stable `code`
// (ERR_TIPC_*), extending TipcRxError like every error of the package. A plain
// list of classes; the transport's errors (NoRouteError, ...) are not repeated here.
import { formatDestination, type SocketAddress } from '../../errors/destination.js'
import { TipcRxError } from '../../errors/index.js'



/** A publish that expects acks found no subscriber (and no queue group) for its topic or key: nothing was sent. */
export class NoSubscribersError extends TipcRxError {
  readonly topic: string
  constructor(topic: string) {
    super('ERR_TIPC_NO_SUBSCRIBERS', `no subscriber for topic '${topic}': nothing was sent`)
    this.topic = topic
  }
}

/** The bus was closed: pending receipts fail with this, and nothing new can start. */
export class BusClosedError extends TipcRxError {
  constructor() {
    super('ERR_TIPC_BUS_CLOSED', 'the bus is closed')
  }
}

/** A subscription consumed in two ways (Observable, async iterator, callback), or twice at once. */
export class SubscriptionModeError extends TipcRxError {
  constructor(current: string, asked: string, active: boolean) {
    super('ERR_TIPC_SUBSCRIPTION_MODE', active && current === asked
      ? `this subscription is already being consumed as ${current === 'iterator' ? 'an' : 'a'} ${current}; subscribe again from the topic for a second consumer`
      : `this subscription is consumed as ${current === 'iterator' ? 'an' : 'a'} ${current}; it cannot also be consumed as ${asked === 'iterator' ? 'an' : 'a'} ${asked} (one mode per subscription)`)
  }
}

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

// ---- replay (replay-client.ts) ----

/**
 * A replay connection carried something the protocol does not allow (a frame
 * that does not decode, or out of turn), or ended before its start frame: the
 * replay stops there and what it did not deliver is reported as a gap.
 */
export class ReplayProtocolError extends TipcRxError {
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super('ERR_TIPC_REPLAY_PROTOCOL', `replay: ${reason}`, options)
  }
}
