// Records, as a link hands them up (whole, in order) or as this node sends
// them to itself, go to whoever handles their kind: RDM data to the
// delivery, a returned message home to its socket (or by name), name announcements to
// the name distributor, connection records to the connections. A record
// that does not parse is counted on its link; one whose handling fails is
// counted and dropped, and the records after it still go through.
import { returnedMessage } from '../shared/returned.js'
import type { Delivery } from '../shared/delivery.js'
import type { RdmData } from '../shared/rdm-data.js'
import { Malformed } from './bytes.js'
import type { UdpConnections } from './connections.js'
import type { NameDistributor } from './name-distributor.js'
import { R_DATA, R_PUBLISH, R_RETURN, R_WITHDRAW, decodeRecord, type UdpRecord } from './records.js'
import type { NodeStats } from './stats.js'

export class RecordDispatch {
  private readonly self: number
  private readonly stats: NodeStats
  private readonly delivery: Delivery<RdmData>
  private readonly names: NameDistributor
  private readonly connections: UdpConnections
  private readonly onError: (err: unknown) => void

  constructor(self: number, stats: NodeStats, delivery: Delivery<RdmData>, names: NameDistributor, connections: UdpConnections, onError: (err: unknown) => void) {
    this.self = self
    this.stats = stats
    this.delivery = delivery
    this.names = names
    this.connections = connections
    this.onError = onError
  }

  /** A record off the link from `node`; false when it does not parse. */
  fromLink(node: number, bytes: Uint8Array): boolean {
    let rec: UdpRecord
    try {
      rec = decodeRecord(bytes)
    } catch (err) {
      if (!(err instanceof Malformed)) throw err
      return false
    }
    this.dispatch(node, rec)
    return true
  }

  /** A record this node sent itself. */
  fromSelf(rec: UdpRecord): void {
    this.dispatch(this.self, rec)
  }

  private dispatch(from: number, rec: UdpRecord): void {
    try {
      switch (rec.kind) {
        case R_DATA:
          return this.delivery.arrive(from, rec)
        case R_RETURN: {
          // rec.data was cut by the returning node; rec.length, the length as sent, stays on the wire.
          const dest = rec.hasName ? { type: rec.type, lower: rec.lower, upper: rec.upper } : undefined
          const message = returnedMessage({ node: from, ref: rec.fromRef }, rec.code, rec.data, dest)
          if (rec.byName && dest !== undefined) return this.delivery.homeByName(message, dest, from)
          return this.delivery.home(rec.dstRef, message, from)
        }
        case R_PUBLISH:
        case R_WITHDRAW:
          return this.names.received(from, rec)
        default:
          return this.connections.received(from, rec)
      }
    } catch (err) {
      this.stats.drops.malformed++
      this.onError(err)
    }
  }
}
