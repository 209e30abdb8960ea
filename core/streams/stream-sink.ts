// Where a stream's decoded messages go: the one consumer of a connection
// (an Observable's subscriber or an async iterator), and its end.
export interface StreamSink<T> {
  value(value: T): void
  /** Called once: undefined for a clean end (either side's), else the error that ended it. */
  end(err: Error | undefined): void
  /** True when the consumer no longer wants values (an unsubscribe inside next()). */
  readonly stopped: boolean
}

/** A message the codec could not read (the stream went on, under 'skip'). */
export interface StreamDecodeFailure {
  bytes: Uint8Array
  reason: string
  cause: unknown
}

/** A stream's counters. */
export interface StreamStats {
  /** Messages received and decoded. */
  received: number
  /** Messages the transport took. */
  sent: number
  /** Sends that found the flow-control window full and waited for it. */
  windowWaits: number
  /** Messages that did not decode. */
  decodeFailures: number
  /** Returned messages handed to the connection (a transport should not: counted, never delivered). */
  unexpected: number
}
