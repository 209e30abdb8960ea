// The udp transport as a selectable factory. Its options travel in
// OpenOptions under `udp` (an additive field: see docs/udp-transport.md).
import type { OpenOptions } from '../open-options.js'
import type { TransportFactory } from '../transport-factory.js'
import type { UdpTransportOptions } from './options.js'
import { probeUdp, UdpTransport } from './transport.js'

export const udpTransportFactory: TransportFactory = {
  kind: 'udp',
  probe: () => probeUdp(),
  open: (options: OpenOptions) => UdpTransport.open((options as OpenOptions & { udp?: UdpTransportOptions }).udp ?? {}),
}
