// The memory transport as a selectable factory, registered when this module
// is loaded. It never takes part in 'auto' (it is not a network): it runs
// only when asked for by name. Without a network in its options, every open()
// in the process joins one shared network, so that several "nodes" opened
// independently still see each other.
import { registerTransport } from '../registry.js'
import type { TransportFactory } from '../transport-factory.js'
import { MemoryNetwork, type MemoryOpenOptions } from './network.js'

/** open({ transport: 'memory', memory: { ... } }): the network to join and the node id. */
export interface MemoryTransportOptions extends MemoryOpenOptions {
  /** The network to join (default: one shared by the process, see sharedMemoryNetwork()). */
  network?: MemoryNetwork
}

declare module '../transport-options.js' {
  interface TransportOptionsByKind {
    /** memory: the network to join (default: one shared by the process) and the node id. */
    memory: MemoryTransportOptions
  }
}

let shared: MemoryNetwork | undefined

/** The process-wide network that open({transport: 'memory'}) joins by default. */
export function sharedMemoryNetwork(): MemoryNetwork {
  shared ??= new MemoryNetwork()
  return shared
}

export const memoryTransportFactory: TransportFactory<'memory'> = {
  kind: 'memory',
  probe: () => ({ available: true, detail: 'in-process network (always available; chosen only when asked for)' }),
  open: options => {
    const network = options?.network ?? sharedMemoryNetwork()
    return Promise.resolve(network.open(options?.node === undefined ? {} : { node: options.node }))
  },
}

registerTransport(memoryTransportFactory)
