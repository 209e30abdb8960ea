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
