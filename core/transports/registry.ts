// The transports built into this package, by kind.
//
// tipc: the kernel through bindings/ (core/transports/tipc is the only
// place in core/ that reaches bindings/). Its probe is isTipcAvailable().
//
// udp: TIPC semantics in user space (core/transports/udp); its probe says
// whether a UDP socket can be bound on loopback here.
import { memoryTransportFactory } from './memory/factory.js'
import { tipcTransportFactory } from './tipc/factory.js'
import { udpTransportFactory } from './udp/factory.js'
import type { TransportRegistry } from './transport-factory.js'

export const builtinTransports: TransportRegistry = {
  tipc: tipcTransportFactory,
  udp: udpTransportFactory,
  memory: memoryTransportFactory,
}
