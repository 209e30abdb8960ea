// Options of open() and selectTransport(): which transport, where to look it
// up, and each transport's own options under its kind (declared by the
// transports themselves in TransportOptionsByKind, so nothing here names one).
import type { TransportRegistry } from './registry.js'
import type { TransportOptionsByKind } from './transport-options.js'

/** 'auto', or the kind of a transport (any transport that declared itself in TransportOptionsByKind). */
export type TransportChoice = 'auto' | keyof TransportOptionsByKind

/** How open() chooses a transport. */
export interface SelectionOptions {
  /**
   * 'auto' (default): the available transport of highest autoPriority
   * (built in: tipc where AF_TIPC works, else udp). A kind forces that
   * transport (no fallback). The environment variable TIPC_RX_TRANSPORT
   * forces one too, when this option is absent or 'auto'.
   */
  transport?: TransportChoice
  /** Where TIPC_RX_TRANSPORT is read from (default process.env): for tests and embedding. */
  env?: Readonly<Record<string, string | undefined>>
  /** Choose from this registry instead of the process-wide one (tests; embedding). */
  registry?: TransportRegistry
}

/** Each transport's own options, under its kind: `{ udp: { ... } }`. */
export type PerTransportOptions = { readonly [K in keyof TransportOptionsByKind]?: TransportOptionsByKind[K] }

export type OpenOptions = SelectionOptions & PerTransportOptions
