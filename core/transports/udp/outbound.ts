// What this node sends, on its way down to the links: records to one node
// (to this node itself they are dispatched on the next turn, never within
// the sender's call), announcements to every peer, the router's RDM data
// (one record per destination node, encoded once) and returned messages
// (R_RETURN records to the sender's node).
import type { ReturnCode } from '../../transport-contract/message.js'
import { MODE_UNICAST, type RdmData } from '../shared/rdm-data.js'
import type { ReturnCarrier } from '../shared/returned.js'
import type { RouteCarrier } from '../shared/routing.js'
import { TurnQueue } from '../shared/turn-queue.js'
import { R_DATA, encodeData } from './data-record.js'
import type { Peers } from './peers.js'
import type { RecordLease, RecordPool } from './record-pool.js'
import { R_RETURN, encodeRecord, type UdpRecord } from './records.js'

export class Outbound implements RouteCarrier, ReturnCarrier<RdmData> {
  private readonly self: number
  private readonly peers: Peers
  /** Records to this node itself. */
  private readonly loopback: TurnQueue<UdpRecord>
  /** Memory for large data records, reused once every link has them acked (record-pool.ts). */
  private readonly pool: RecordPool

  /** `receiveOwn`: where records to this node arrive, a turn later. */
  constructor(self: number, peers: Peers, pool: RecordPool, receiveOwn: (rec: UdpRecord) => void) {
    this.self = self
    this.peers = peers
    this.pool = pool
    this.loopback = new TurnQueue(receiveOwn)
  }

  /** A control record to `node` (this one included); dropped if its link is not up. */
  send(node: number, rec: UdpRecord): void {
    if (node === this.self) this.loopback.push(rec)
    else this.peers.send(node, encodeRecord(rec))
  }

  /** A control record to every peer whose link is up. */
  sendToAll(rec: UdpRecord): void {
    this.peers.sendToAll(encodeRecord(rec))
  }

  // --- the router's carrier ------------------------------------------------------

  reaches(node: number): boolean {
    return node === this.self || this.peers.isUp(node)
  }

  full(node: number): boolean {
    return this.peers.full(node)
  }

  refused(node: number): void {
    this.peers.stall(node)
  }

  transmit(msg: RdmData, nodes: readonly number[]): void {
    let encoded: Uint8Array | undefined
    let lease: RecordLease | undefined
    for (const n of nodes) {
      if (n === this.self) {
        // Field by field, in decodeData's order: one hidden class for every data record.
        this.loopback.push({
          kind: R_DATA, mode: msg.mode, srcRef: msg.srcRef, dstRef: msg.dstRef, type: msg.type, lower: msg.lower, upper: msg.upper,
          data: msg.data.slice(),
        })
      } else {
        if (encoded === undefined) {
          // The one copy of the payload on the way out: the caller may reuse its buffer once send returns.
          encoded = encodeData(msg, this.pool)
          lease = this.pool.lease
        }
        // A data record: what goes back NO_NODE if the link goes down with it is decoded from these
        // bytes as sent, not the caller's buffer as it is by then. Each link holds the record's
        // lease until its peer has acked the record (a closed link keeps it).
        this.peers.send(n, encoded, true, lease)
      }
    }
  }

  // --- returned messages ---------------------------------------------------------

  /**
   * A return record to the sender's node; `data` is already cut, the length
   * as sent stays on the wire. One delivered `byName` names no socket
   * (dstRef 0): it is for whoever is bound to its name there.
   */
  carryBack(to: number, msg: RdmData, code: ReturnCode, byRef: number, data: Uint8Array, byName: boolean): void {
    this.send(to, {
      kind: R_RETURN, code, hasName: msg.mode !== MODE_UNICAST, byName, dstRef: byName ? 0 : msg.srcRef, fromRef: byRef,
      type: msg.type, lower: msg.lower, upper: msg.upper, length: msg.data.byteLength, data,
    })
  }
}
