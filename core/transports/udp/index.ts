// The udp transport (re-exports only).
export { UdpTransport, probeUdp, udpCapabilities } from './transport.js'
export { udpTransportFactory } from './factory.js'
export { UdpRdmSocket } from './rdm-socket.js'
export { UdpSeqpacketConnection, UdpSeqpacketListener } from './seqpacket.js'
export type { UdpDiscovery, UdpTransportOptions, UdpFaultPlan, UdpPeer } from './options.js'
export type { UdpStats, LinkStats, NodeStats, DropStats, RecordChunkStats } from './stats.js'
export type { NodeSocketInfo } from './node-socket.js'
