// A program as a user writes it, compiled against the published .d.ts
// (dist/, through the package's own name) with skipLibCheck off: the check
// that the declarations stand on their own once @internal members are
// stripped, and that a third party can extend TransportOptionsByKind.
import { DatagramSocket, isTipcAvailable } from 'tipc-rx/bindings'
import { AvroCodec, jsonCodec, type Codec } from 'tipc-rx/codecs'
import {
  MemoryNetwork, open, registerTransport, selectTransport, TipcRxError, UdpTransport,
  type SelectedTransport, type Transport, type TransportFactory, type UdpStats,
} from 'tipc-rx'

declare module 'tipc-rx' {
  interface TransportOptionsByKind {
    'carrier-pigeon': { flock: number }
  }
}

const network = new MemoryNetwork({ seed: 42, faults: { drop: 0.1 } })
const node: Transport = network.open()
const pigeon: TransportFactory<'carrier-pigeon'> = {
  kind: 'carrier-pigeon',
  probe: () => ({ available: true, detail: 'the loft is open' }),
  open: options => Promise.resolve(options === undefined ? node : network.open({ node: options.flock })),
}
registerTransport(pigeon)

export async function main(): Promise<void> {
  const chosen: SelectedTransport = await open({ transport: 'carrier-pigeon', 'carrier-pigeon': { flock: 3 } })
  // The built-in transports' options, as their factories declare them.
  const forced = await selectTransport({ transport: 'udp', udp: {}, tipc: { netns: 'n1' }, memory: { network, node: 7 } })
  console.log(chosen.selection.reason, forced.kind)
  const udp = await UdpTransport.open({})
  const stats: UdpStats = udp.stats()
  console.log(stats, isTipcAvailable().available, DatagramSocket.name)
  const codec: Codec<unknown> = jsonCodec()
  console.log(codec.id, AvroCodec.name, TipcRxError.name)
}
