// The udp transport as a selectable factory, registered when this module is
// loaded; its options travel in open()'s options under `udp`
// (docs/udp-transport.md).
import { registerTransport } from '../registry.js'
import type { TransportFactory } from '../transport-factory.js'
import type { UdpTransportOptions } from './options.js'
import { probeUdp, UdpTransport } from './transport.js'

declare module '../transport-options.js' {
  interface TransportOptionsByKind {
    /** udp: the user-space transport's options (docs/udp-transport.md). */
    udp: UdpTransportOptions
  }
}

export const udpTransportFactory: TransportFactory<'udp'> = {
  kind: 'udp',
  // After tipc: TIPC's semantics in user space, where the kernel has none.
  autoPriority: 100,
  probe: () => probeUdp(),
  open: options => UdpTransport.open(options ?? {}),
}

registerTransport(udpTransportFactory)
