// The udp transport as a selectable factory; its options travel in
// OpenOptions under `udp` (docs/udp-transport.md).
import type { OpenOptions } from '../open-options.js'
import type { TransportFactory } from '../transport-factory.js'
import { probeUdp, UdpTransport } from './transport.js'

export const udpTransportFactory: TransportFactory = {
  kind: 'udp',
  probe: () => probeUdp(),
  open: (options: OpenOptions) => UdpTransport.open(options.udp ?? {}),
}
