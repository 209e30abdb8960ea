// The binding's errors as the contract's. The binding throws the classes the
// contract shares with it (errors/), so those pass through unchanged: the same
// object, with its errno, syscall, address and cause. Only the failures the
// two layers name differently are translated here, each keeping the
// binding's error as `cause`.
import { ConnectionResetError, TipcSystemError, TipcUnavailableError } from '../../../bindings/index.js'
import {
  ConnectionRefusedError, ConnectTimeoutError, DEFAULT_CONNECT_TIMEOUT_MS, InvalidArgumentError, PeerLostError,
  TransportUnavailableError, type ServiceAddress, type SocketAddress,
} from '../../transport-contract/index.js'

/** A binding error as the contract's: the same object unless the contract names the failure differently. */
export function fromBinding(err: Error): Error
export function fromBinding(err: unknown): unknown
export function fromBinding(err: unknown): unknown {
  // The kernel's ECONNRESET on a connection: the contract's peer loss by reset.
  if (err instanceof ConnectionResetError) return new PeerLostError('RESET', { cause: err })
  // No AF_TIPC here: the same failure selection reports for a transport that cannot run.
  if (err instanceof TipcUnavailableError) return new TransportUnavailableError('tipc', err.reason, { cause: err })
  // The kernel refused an argument the checks let through: an invalid argument, as on udp and memory.
  if (err instanceof TipcSystemError && err.code === 'EINVAL') {
    return new InvalidArgumentError(err.message, { cause: err, ...(err.address ? { address: err.address } : {}) })
  }
  return err
}

/** A failed connect as the contract's: refused and timed out name the destination (and the timeout). */
export function fromBindingConnect(
  err: unknown, dest: ServiceAddress | SocketAddress, timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
): unknown {
  if (err instanceof TipcSystemError && err.code === 'ECONNREFUSED') return new ConnectionRefusedError(dest, { cause: err })
  if (err instanceof TipcSystemError && err.code === 'ETIMEDOUT') return new ConnectTimeoutError(dest, timeoutMs, { cause: err })
  return fromBinding(err)
}

/** Run a binding call with its errors mapped. */
export function mapped<T>(fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    throw fromBinding(err)
  }
}
