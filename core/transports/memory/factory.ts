// The memory transport as a selectable factory. Without a network in the
// options, every open() in the process joins one shared network, so that
// several "nodes" opened independently still see each other.
import type { OpenOptions } from '../open-options.js'
import type { TransportFactory } from '../transport-factory.js'
import { MemoryNetwork } from './network.js'

let shared: MemoryNetwork | undefined

/** The process-wide network that open({transport: 'memory'}) joins by default. */
export function sharedMemoryNetwork(): MemoryNetwork {
  shared ??= new MemoryNetwork()
  return shared
}

export const memoryTransportFactory: TransportFactory = {
  kind: 'memory',
  probe: () => ({ available: true, detail: 'in-process network (always available; chosen only when asked for)' }),
  open: async (options: OpenOptions) => {
    const network = options.memory?.network ?? sharedMemoryNetwork()
    return network.open(options.memory?.node === undefined ? {} : { node: options.memory.node })
  },
}
