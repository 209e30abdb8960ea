// Piping an Observable into a stream. An Observable pushes: each value is
// handed to send() as it comes, and send() keeps them in order, waiting for
// the connection's window; values that arrive faster than the peer reads
// wait in the stream's bounded send queue, and one past its bound
// (maxWaitingSends) fails the pipe with StreamSendQueueFullError rather than
// filling memory. For a source that can wait, pipe an async iterable
// (MessageStream.sendAll): it is pulled one value per free slot.
import { from, map, mergeMap, type OperatorFunction } from 'rxjs'

/** What sendTo needs of a stream. */
export interface StreamWriter<T> {
  send(value: T): Promise<void>
}

/** Send each value on `stream`; emits the value once the transport took it, in order. */
export function sendTo<T>(stream: StreamWriter<T>): OperatorFunction<T, T> {
  return mergeMap((value: T) => from(stream.send(value)).pipe(map(() => value)))
}
