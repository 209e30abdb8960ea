// The tipc transport as a selectable factory, registered when this module is
// loaded. Its probe is the binding's isTipcAvailable(): selection learns what
// it needs of bindings/ through here, and core/transports/tipc is the only
// place in core/ that imports bindings/.
import { formatNode, isTipcAvailable } from '../../../bindings/index.js'
import { registerTransport } from '../registry.js'
import type { Availability, TransportFactory } from '../transport-factory.js'
import { TipcTransport, type TipcTransportOptions } from './transport.js'

declare module '../transport-options.js' {
  interface TransportOptionsByKind {
    /** tipc: act as the TIPC node of a network namespace (name or path; needs CAP_SYS_ADMIN). */
    tipc: TipcTransportOptions
  }
}

export function probeTipc(): Availability {
  const a = isTipcAvailable()
  if (a.available) return { available: true, detail: `AF_TIPC works, node ${formatNode(a.node)}` }
  return { available: false, code: a.code, reason: a.reason }
}

export const tipcTransportFactory: TransportFactory<'tipc'> = {
  kind: 'tipc',
  // The kernel first, wherever it has TIPC: that is what the package is for.
  autoPriority: 200,
  probe: probeTipc,
  open: options => Promise.resolve(new TipcTransport(options ?? {})),
}

registerTransport(tipcTransportFactory)
