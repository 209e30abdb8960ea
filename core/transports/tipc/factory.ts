// The tipc transport as a selectable factory. Its probe is the binding's
// isTipcAvailable(): the only place outside core/transports/tipc that learns
// anything of bindings/ goes through here.
import { formatNode, isTipcAvailable } from '../../../bindings/index.js'
import type { OpenOptions } from '../open-options.js'
import type { Availability, TransportFactory } from '../transport-factory.js'
import { TipcTransport } from './transport.js'

export function probeTipc(): Availability {
  const a = isTipcAvailable()
  if (a.available) return { available: true, detail: `AF_TIPC works, node ${formatNode(a.node)}` }
  return { available: false, code: a.code, reason: a.reason }
}

export const tipcTransportFactory: TransportFactory = {
  kind: 'tipc',
  probe: probeTipc,
  open: async (options: OpenOptions) => new TipcTransport(options.tipc ?? {}),
}
