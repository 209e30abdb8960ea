// Counters, per link and per node, readable from the API
// (UdpTransport.stats()). Fault tests assert on them that a fault really
// happened (drops counted, retransmissions made) next to what the
// application saw.
import type { ReturnCode } from '../../transport-contract/message.js'
import type { NodeSocketInfo } from './node-socket.js'

export interface LinkStats {
  packetsSent: number
  packetsReceived: number
  bytesSent: number
  bytesReceived: number
  /** Records (messages, name updates, connection events) taken off the link in order. */
  recordsDelivered: number
  /** Data packets sent again (timeouts and selective retransmissions). */
  retransmits: number
  /** Retransmission timer expiries. */
  timeouts: number
  /** Expiries found spurious: the ack to the packet resent on the first expiry showed the packets after it had arrived. */
  spuriousTimeouts: number
  /** Data packets received that had already been received. */
  duplicates: number
  /** Data packets received ahead of a gap, held until it filled. */
  outOfOrder: number
  /** Data packets beyond the receive window, dropped. */
  beyondWindow: number
  /** Standalone state packets (acks, heartbeats, probes) sent. */
  statesSent: number
  /** Times send() was refused because this link's window was full. */
  windowStalls: number
  /** Data packets that asked the peer to ack at once (the probe flag: the window passed half full). */
  ackRequests: number
  /** Records whose content did not parse (dropped). */
  malformedRecords: number
}

/** Why an incoming packet was dropped. */
export interface DropStats {
  /** Did not parse: a length, count or offset out of bounds, an unknown type or version. */
  malformed: number
  /** Another cluster's packet. */
  otherCluster: number
  /** Failed authentication (wrong key, tampered, or unsealed when a key is set). */
  auth: number
  /** Authentic, but seen before (or older than the replay window). */
  replay: number
  /** Addressed to another node, or to a former session of this one. */
  notForUs: number
  /** From another session of a node whose link is up (a restarted process waits for the link to go down; or forged). */
  staleSession: number
  /** A link packet of a former incarnation of the link (either end's), or data for a link being established. */
  oldIncarnation: number
  /** A state packet not newer than the newest heard on its link: reordered or replayed (liveness not refreshed). */
  replayedState: number
  /** A data packet not newer than the newest heard whose items were all taken already: a network duplicate or a replay. */
  duplicateData: number
  /** A new peer beyond maxPeers. */
  peerLimit: number
  /** Our own node id from another session (a node id conflict). */
  nodeConflict: number
}

/** Memory of large outgoing data records (record-pool.ts): UdpStats.node.recordChunks. */
export interface RecordChunkStats {
  /** Chunks of 1 MiB allocated fresh. */
  allocated: number
  /** Chunks written over again once every record in them was acked and the socket held no packet. */
  reused: number
}

export interface NodeStats {
  packetsSent: number
  packetsReceived: number
  bytesSent: number
  bytesReceived: number
  beaconsSent: number
  beaconsReceived: number
  /** Packets of this node's own beacons looped back to it (ignored). */
  ownBeacons: number
  drops: DropStats
  /** Packets the seeded fault injection dropped, duplicated or reordered on the way out. */
  injected: { dropped: number; duplicated: number; reordered: number }
  /** Errors from the UDP socket's send (the packet is then lost; the link retransmits). */
  sendErrors: number
  /** Returned messages generated on this node, by code. */
  returned: Record<ReturnCode, number>
  /** RDM messages put into a socket's receive queue on this node. */
  delivered: number
  /** Multicast copies that found no socket on arrival (dropped, as TIPC does). */
  multicastMissed: number
  /**
   * Multicast copies refused on another node that came back here and found
   * no socket with a cluster-scope binding to their name (dropped, as TIPC does).
   */
  returnedMissed: number
  linksUp: number
  linksDown: number
  /** Memory of large outgoing data records: chunks allocated, and reused once their records were acked. */
  recordChunks: RecordChunkStats
}

export interface UdpStats {
  node: NodeStats
  /** Per peer node id. */
  links: Record<number, LinkStats>
  /** The node's UDP socket: native or dgram, its buffer sizes, offloads and batching. */
  socket: NodeSocketInfo
}

export function createLinkStats(): LinkStats {
  return {
    packetsSent: 0, packetsReceived: 0, bytesSent: 0, bytesReceived: 0, recordsDelivered: 0,
    retransmits: 0, timeouts: 0, spuriousTimeouts: 0, duplicates: 0, outOfOrder: 0, beyondWindow: 0, statesSent: 0,
    windowStalls: 0, ackRequests: 0, malformedRecords: 0,
  }
}

export function createNodeStats(): NodeStats {
  return {
    packetsSent: 0, packetsReceived: 0, bytesSent: 0, bytesReceived: 0, beaconsSent: 0, beaconsReceived: 0, ownBeacons: 0,
    drops: { malformed: 0, otherCluster: 0, auth: 0, replay: 0, notForUs: 0, staleSession: 0, oldIncarnation: 0, replayedState: 0, duplicateData: 0, peerLimit: 0, nodeConflict: 0 },
    injected: { dropped: 0, duplicated: 0, reordered: 0 },
    sendErrors: 0,
    returned: { NO_NAME: 0, NO_PORT: 0, NO_NODE: 0, OVERLOAD: 0, CONN_SHUTDOWN: 0 },
    delivered: 0, multicastMissed: 0, returnedMissed: 0, linksUp: 0, linksDown: 0,
    recordChunks: { allocated: 0, reused: 0 },
  }
}
