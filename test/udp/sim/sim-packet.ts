// A datagram of the simulated network: the header fields the wire checks
// (wire.ts) and the link body as the link made it (not encoded: the codec
// has its own tests, and the simulation spends its time on the state
// machine). Injected datagrams say what they are, so the checker can ask
// what became of each.
import type { LinkBody } from '../../../core/transports/udp/packet.js'

/** Sent by a link or discovery, or injected by the adversary (and how). */
export type Origin =
  | 'link' | 'beacon'
  /** A copy of a real link packet with another source session (a forged or stale session). */
  | 'forgedSession'
  /** A beacon of another session of a node. */
  | 'forgedBeacon'
  /** A copy of a link packet of a former incarnation of the link. */
  | 'staleIncarnation'
  /** A copy of a state packet already handled. */
  | 'replayedState'
  /** A copy of a data packet already handled. */
  | 'replayedData'

export interface SimPacket {
  srcNode: number
  srcSession: number
  dstNode: number
  dstSession: number
  /** undefined: a beacon. */
  body: LinkBody | undefined
  /** Bytes on the wire. */
  size: number
  origin: Origin
}

/** Injected by the adversary, not sent by a node. */
export const injected = (p: SimPacket): boolean => p.origin !== 'link' && p.origin !== 'beacon'
