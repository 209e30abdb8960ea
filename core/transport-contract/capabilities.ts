// What a transport can do beyond the common contract. Code above the
// transport adapts to these flags, and the conformance suite skips (with the
// reason) what a transport says it cannot do: never a silent pass.

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
}

export type CapabilityFlag = { [K in keyof Capabilities]: Capabilities[K] extends boolean ? K : never }[keyof Capabilities]

/** Why a test or feature must be skipped on this transport, or false when it can run. */
export function missingCapability(kind: string, capabilities: Capabilities, flag: CapabilityFlag): string | false {
  return capabilities[flag] ? false : `the ${kind} transport has no '${flag}' capability`
}
