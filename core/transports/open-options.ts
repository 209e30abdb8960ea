// Options of open(): which transport, and each transport's own options.
import type { TransportKind } from '../transport-contract/transport.js'
import type { MemoryNetwork } from './memory/network.js'
import type { UdpTransportOptions } from './udp/options.js'
import type { TransportRegistry } from './transport-factory.js'

export type TransportChoice = 'auto' | TransportKind

export interface OpenOptions {
  /**
   * 'auto' (default): tipc where AF_TIPC works, else udp. A kind forces that
   * transport (no fallback). The environment variable TIPC_RX_TRANSPORT
   * forces one too, when this option is absent or 'auto'.
   */
  transport?: TransportChoice
  /** Where TIPC_RX_TRANSPORT is read from (default process.env): for tests and embedding. */
  env?: Readonly<Record<string, string | undefined>>
  /** Replace the built-in factories (tests; third-party transports). */
  registry?: TransportRegistry
  /** udp: the user-space transport's options (docs/udp-transport.md). */
  udp?: UdpTransportOptions
  /** tipc: act as the TIPC node of a network namespace (name or path; needs CAP_SYS_ADMIN). */
  tipc?: { netns?: string }
  /** memory: the network to join (default: one shared per process) and the node id. */
  memory?: { network?: MemoryNetwork; node?: number }
}
