// The errors of SEQPACKET streams: one class per failure, each with a stable
// `code` (ERR_TIPC_STREAM_*), extending TipcRxError like every error of the
// package. How a connection ends (PeerLostError, ConnectionEndedError, ...)
// is the transport contract's, not repeated here.
import { TipcRxError } from '../../errors/index.js'

/**
 * A stream's messages were asked for a second time (a second subscribe, a
 * second iterator, or one after the other): a connection's messages are
 * consumed once, by one consumer, and ending that consumer ends the connection.
 */
export class StreamConsumedError extends TipcRxError {
  constructor(current: 'observable' | 'iterator', asked: 'observable' | 'iterator') {
    super('ERR_TIPC_STREAM_CONSUMED',
      `this stream's messages are already consumed as ${current === 'iterator' ? 'an async iterator' : 'an Observable'}; ` +
      `they cannot be consumed again as ${asked === 'iterator' ? 'an async iterator' : 'an Observable'} (one consumer per connection)`)
  }
}

/**
 * A message of the stream did not decode, and the stream was opened with
 * `onDecodeFailure: 'error'`: the consumer fails with this (the connection
 * ends). `cause` is the codec's CodecError.
 */
export class StreamDecodeError extends TipcRxError {
  /** The bytes as received. */
  readonly bytes: Uint8Array
  constructor(bytes: Uint8Array, cause: unknown) {
    super('ERR_TIPC_STREAM_DECODE', `a stream message of ${bytes.length} bytes did not decode: ${describe(cause)}`, { cause })
    this.bytes = bytes
  }
}

/**
 * More sends are waiting for the connection's flow-control window than the
 * stream allows (`maxWaitingSends`): the program sends without awaiting
 * send(), faster than the peer reads. This send was refused; those waiting
 * stay queued, in order.
 */
export class StreamSendQueueFullError extends TipcRxError {
  readonly limit: number
  constructor(limit: number) {
    super('ERR_TIPC_STREAM_SEND_QUEUE_FULL',
      `${limit} sends already wait for the connection's window: await send() (or pipe with sendAll) so the peer's pace holds the sender back`)
    this.limit = limit
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
