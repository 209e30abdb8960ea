// The loaded addon, or a typed error saying why TIPC cannot be used.
import { TipcUnavailableError } from './errors.js'
import { tryLoadNative, type NativeAddon } from './native.js'

export function addon(): NativeAddon {
  const result = tryLoadNative()
  if ('error' in result) throw new TipcUnavailableError('the native addon is not loaded', { cause: result.error })
  return result.addon
}

/** Why TIPC works or not here: for `doctor`, transport selection and test skips. */
export type TipcAvailability =
  | { available: true; node: number }
  | { available: false; code: string; reason: string }

/** Whether AF_TIPC sockets work on this machine, and if not, why. Never throws. */
export function isTipcAvailable(): TipcAvailability {
  const result = tryLoadNative()
  if ('error' in result) {
    const cause = result.error.cause instanceof Error ? `: ${result.error.cause.message.split('\n')[0]}` : ''
    return { available: false, code: 'ERR_TIPC_ADDON', reason: result.error.message + cause }
  }
  const probe = result.addon.probe()
  if (probe.available) return { available: true, node: probe.node }
  const reason = probe.code === 'EAFNOSUPPORT'
    ? 'the kernel has no TIPC (load it with `modprobe tipc`; containers need it loaded on the host)'
    : probe.message
  return { available: false, code: probe.code, reason }
}

/** This node's 32-bit TIPC address. Throws TipcUnavailableError where TIPC does not work. */
export function ownNode(): number {
  const availability = isTipcAvailable()
  if (!availability.available) throw new TipcUnavailableError(availability.reason)
  return availability.node
}
