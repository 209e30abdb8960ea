// Listening for streams: an Observable of incoming connections. Subscribing
// binds the name (a listener on the transport); each accepted connection is
// a MessageStream, with the listener's codec and options; unsubscribing
// withdraws the name (connects not yet accepted are refused). Streams
// already handed out live on: each ends on its own (as accepted TCP
// connections outlive their listening socket).
import { Observable } from 'rxjs'
import { refuseBorrowedReceive, type Scope, type Transport } from '../transport-contract/index.js'
import { MessageStream } from './message-stream.js'
import { listenRange, type ListenName } from './stream-name.js'
import { resolveStreamOptions, type StreamOptions } from './stream-options.js'

export interface ListenStreamOptions<T = unknown> extends StreamOptions<T> {
  /** Where the name is visible (default 'cluster'). */
  scope?: Scope
}

/**
 * Incoming streams on `name` (a string, or a service address or range). Bad
 * names and options throw here, at the call; a transport that refuses the
 * listener (closed) errors the Observable.
 */
export function listenStream<T = unknown>(transport: Transport, name: ListenName, options: ListenStreamOptions<T> = {}): Observable<MessageStream<T>> {
  const range = listenRange(name)
  const resolved = resolveStreamOptions(options)
  refuseBorrowedReceive('a message stream', transport.kind, transport.capabilities)
  const scope = options.scope
  return new Observable<MessageStream<T>>(subscriber => {
    const listener = transport.listen(range, scope === undefined ? {} : { scope })
    listener.onConnection(connection => subscriber.next(new MessageStream<T>(connection, resolved)))
    return () => listener.close()
  })
}
