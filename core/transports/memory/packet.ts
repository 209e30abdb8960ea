// An RDM message on its way through the memory network: the message
// (shared/rdm-data.ts) and the two nodes it goes between, with their
// incarnations at send time (a node that crashed and came back is another node).
import type { RdmData } from '../shared/rdm-data.js'

export interface Packet extends RdmData {
  fromNode: number
  toNode: number
  fromIncarnation: number
  toIncarnation: number
}

/**
 * A packet of `msg` with `data` (its own copy). Performance: every packet
 * is built here, field by field, so they all share one hidden class; built
 * by object spread, they did not, and the code that reads them (links,
 * delivery) went polymorphic: the memory throughput fell to a quarter.
 */
export function packet(msg: RdmData, data: Uint8Array, fromNode: number, toNode: number, fromIncarnation: number, toIncarnation: number): Packet {
  return {
    mode: msg.mode, srcRef: msg.srcRef, dstRef: msg.dstRef, type: msg.type, lower: msg.lower, upper: msg.upper, data,
    fromNode, toNode, fromIncarnation, toIncarnation,
  }
}
