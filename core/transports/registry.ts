// The transports built into this package, by kind.
//
// TIPC_FACTORY_SLOT: core/transports/tipc will provide `tipcTransportFactory`
// here. Its probe is bindings/'s isTipcAvailable() ({available, node} or
// {available: false, code, reason}), mapped onto Availability; it is the only
// place outside core/transports/tipc that may reach bindings/.
//
// UDP_FACTORY_SLOT: core/transports/udp will provide `udpTransportFactory`;
// its probe says whether a UDP socket can bind the discovery port here.
import { memoryTransportFactory } from './memory/factory.js'
import type { TransportRegistry } from './transport-factory.js'

export const builtinTransports: TransportRegistry = {
  tipc: undefined,
  udp: undefined,
  memory: memoryTransportFactory,
}
