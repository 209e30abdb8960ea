// The transports built into this package, by kind.
//
// tipc: the kernel through bindings/ (core/transports/tipc is the only
// place in core/ that reaches bindings/). Its probe is isTipcAvailable().
//
// UDP_FACTORY_SLOT: core/transports/udp will provide `udpTransportFactory`;
// its probe says whether a UDP socket can bind the discovery port here.
import { memoryTransportFactory } from './memory/factory.js'
import { tipcTransportFactory } from './tipc/factory.js'
import type { TransportRegistry } from './transport-factory.js'

export const builtinTransports: TransportRegistry = {
  tipc: tipcTransportFactory,
  udp: undefined,
  memory: memoryTransportFactory,
}
