// A stream's settings, checked once when the stream is made: its codec (both
// ends must use the same one: a stream's messages carry no envelope, so
// nothing on the wire says which codec wrote them), what a message that does
// not decode does, and the two bounds that keep memory flat.
import { jsonCodec, type Codec } from '../../codecs/index.js'
import { InvalidArgumentError } from '../transport-contract/index.js'

/**
 * What a message that does not decode does: 'skip' (the default) counts it
 * and hands it to `failures$`, and the stream goes on; 'error' fails the
 * consumer with StreamDecodeError and ends the connection.
 */
export type DecodeFailurePolicy = 'skip' | 'error'

export interface StreamOptions<T = unknown> {
  /** How values become bytes (default: JSON). The peer must use the same codec. */
  codec?: Codec<T>
  /** A message that does not decode: 'skip' (default, counted, failures$) or 'error'. */
  onDecodeFailure?: DecodeFailurePolicy
  /**
   * Sends that may wait for the flow-control window at once (default 1024);
   * one more is refused with StreamSendQueueFullError. Awaiting send() keeps it at one.
   */
  maxWaitingSends?: number
  /**
   * Messages an async iterator holds ahead of the loop (default 64): past
   * that, reading pauses, and the peer's sends wait for the window.
   */
  readAhead?: number
}

export interface ResolvedStreamOptions {
  codec: Codec<unknown>
  onDecodeFailure: DecodeFailurePolicy
  maxWaitingSends: number
  readAhead: number
}

export function resolveStreamOptions<T>(options: StreamOptions<T> = {}): ResolvedStreamOptions {
  const onDecodeFailure = options.onDecodeFailure ?? 'skip'
  if (onDecodeFailure !== 'skip' && onDecodeFailure !== 'error') {
    throw new InvalidArgumentError(`onDecodeFailure must be 'skip' or 'error', got ${String(onDecodeFailure)}`)
  }
  return {
    codec: (options.codec as Codec<unknown> | undefined) ?? jsonCodec(),
    onDecodeFailure,
    maxWaitingSends: positive('maxWaitingSends', options.maxWaitingSends ?? 1024),
    readAhead: positive('readAhead', options.readAhead ?? 64),
  }
}

function positive(what: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a positive integer, got ${String(n)}`)
  return n
}
