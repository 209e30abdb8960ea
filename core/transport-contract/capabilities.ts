// What a transport can do beyond the common contract. Code above the
// transport adapts to these flags, and the conformance suite skips (with the
// reason) what a transport says it cannot do: never a silent pass.
import { InvalidArgumentError } from './errors.js'

export interface Capabilities {
  /** TIPC communication groups (ordered group multicast with flow control, member events). */
  groups: boolean
  /** Traffic between nodes is authenticated and encrypted. */
  crypto: boolean
  /** The largest message, in bytes (66000 everywhere today). */
  maxMessageSize: number
  /** Bindings with scope 'node' are hidden from other nodes. */
  nodeScope: boolean
  /** Faults can be injected (drop, delay, reorder, duplicate, overload, crash). */
  faultInjection: boolean
  /**
   * Received data is lent: valid only until the handler it was handed to
   * returns (the udp transport's `borrowedReceive`). The layers above that
   * keep received data past their handlers (topics, request/reply,
   * streams) refuse such a transport (refuseBorrowedReceive).
   */
  borrowedReceive: boolean
}

export type CapabilityFlag = { [K in keyof Capabilities]: Capabilities[K] extends boolean ? K : never }[keyof Capabilities]

/**
 * Throws InvalidArgumentError when `capabilities` say received data is only
 * lent: `layer` keeps it past its handlers, and would read later messages'
 * bytes in it (or, with poisoning, garbage) instead of its own.
 */
export function refuseBorrowedReceive(layer: string, kind: string, capabilities: Capabilities): void {
  if (capabilities.borrowedReceive) {
    throw new InvalidArgumentError(`${layer} keeps received data past its handlers: open the ${kind} transport without borrowedReceive`)
  }
}

/** Why a test or feature must be skipped on this transport, or false when it can run. */
export function missingCapability(kind: string, capabilities: Capabilities, flag: CapabilityFlag): string | false {
  return capabilities[flag] ? false : `the ${kind} transport has no '${flag}' capability`
}
