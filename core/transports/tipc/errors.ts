// The binding's typed errors, re-expressed as the contract's: code above the
// transport sees the same classes and codes on tipc, udp and memory. The
// binding's error stays reachable as `cause`.
import * as b from '../../../bindings/index.js'
import {
  ConnectionRefusedError, ConnectTimeoutError, InvalidArgumentError, MessageTooLargeError, NoRouteError,
  PeerLostError, ReservedTypeError, SocketClosedError, TransportError, type Destination,
} from '../../transport-contract/index.js'

export function fromBinding(err: unknown, address?: Destination, timeoutMs?: number): Error {
  if (err instanceof TransportError || !(err instanceof Error)) return err as Error
  const details = { cause: err, ...(address ? { address } : {}) }
  if (err instanceof b.NoRouteError) return new NoRouteError(address ?? err.address ?? { type: 0, instance: 0 }, { cause: err })
  if (err instanceof b.SocketClosedError) return new SocketClosedError({ cause: err })
  if (err instanceof b.MessageTooLargeError) return new MessageTooLargeError(err.size, b.MAX_MESSAGE_SIZE)
  if (err instanceof b.ReservedTypeError) return new ReservedTypeError(err.type)
  if (err instanceof b.InvalidArgumentError) return new InvalidArgumentError(err.message, details)
  if (err instanceof b.ConnectionResetError) return new PeerLostError('RESET', details)
  if (err instanceof b.PeerLostError) return new PeerLostError(err.reason === 'NO_NODE' ? 'NO_NODE' : 'NO_PORT', details)
  const code = (err as { code?: string }).code
  if (code === 'ECONNREFUSED' && address) return new ConnectionRefusedError(address, { cause: err })
  if (code === 'ETIMEDOUT' && address) return new ConnectTimeoutError(address, timeoutMs ?? 8000)
  if (code === 'EINVAL') return new InvalidArgumentError(err.message, details)
  if (err instanceof b.TipcError) return new TransportError(err.code, err.message, details)
  return err
}

/** Run a binding call with its errors mapped. */
export function mapped<T>(fn: () => T, address?: Destination): T {
  try {
    return fn()
  } catch (err) {
    throw fromBinding(err, address)
  }
}
