// Connecting to a stream listener: resolves with the MessageStream once a
// listener accepted (TIPC semantics: connect completes on accept). Rejects
// with the contract's typed errors: NoRouteError at once when nothing is
// bound to the name, ConnectionRefusedError, ConnectTimeoutError.
import { refuseBorrowedReceive, type Transport } from '../transport-contract/index.js'
import { MessageStream } from './message-stream.js'
import { connectDestination, type ConnectTarget } from './stream-name.js'
import { resolveStreamOptions, type StreamOptions } from './stream-options.js'

export interface ConnectStreamOptions<T = unknown> extends StreamOptions<T> {
  /** Reject with ConnectTimeoutError if not accepted by then (default 8000, TIPC's). */
  timeoutMs?: number
}

export async function connectStream<T = unknown>(transport: Transport, target: ConnectTarget, options: ConnectStreamOptions<T> = {}): Promise<MessageStream<T>> {
  const dest = connectDestination(target)
  const resolved = resolveStreamOptions(options)
  refuseBorrowedReceive('a message stream', transport.kind, transport.capabilities)
  const connection = await transport.connect(dest, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs })
  return new MessageStream<T>(connection, resolved)
}
