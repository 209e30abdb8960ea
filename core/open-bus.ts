// openBus(): what most programs call first. It opens a transport the way
// open() does (auto: kernel TIPC where it works, else udp on loopback) and
// puts a Bus on it that closes the transport when it closes.
import { Bus, type BusOptions } from './pubsub/bus.js'
import type { OpenOptions } from './transports/open-options.js'
import { open } from './transports/select.js'

export type OpenBusOptions = OpenOptions & Omit<BusOptions, 'ownsTransport'>

/** Open a transport (options as open()) and a Bus over it; bus.close() closes both. */
export async function openBus(options: OpenBusOptions = {}): Promise<Bus> {
  const transport = await open(options)
  try {
    return new Bus(transport, { ...options, ownsTransport: true })
  } catch (err) {
    // Options the bus refuses (e.g. a udp transport with borrowedReceive): the transport opened for it goes too.
    await transport.close()
    throw err
  }
}
