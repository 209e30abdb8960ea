// Records: what the link carries, in order, reliably. A record is one
// message of the transport's own protocol (data, a returned message, a name
// table change, a connection event). Each is encoded with a kind byte and
// fixed fields, then (for data) the payload to the end of the record.
import { RESERVED_TYPES } from '../../transport-contract/address.js'
import { MAX_MESSAGE_SIZE, RETURNED_DATA_LIMIT } from '../../transport-contract/limits.js'
import type { ReturnCode } from '../../transport-contract/message.js'
import { Malformed, Reader, Writer } from './bytes.js'
import { R_DATA, decodeData, encodeData, type DataRecord } from './data-record.js'

// The data record's mode byte is the RDM addressing mode as shared/rdm-data.ts numbers it.
export { MODE_ANYCAST, MODE_MULTICAST, MODE_UNICAST, type Mode } from '../shared/rdm-data.js'
export { R_DATA, type DataRecord } from './data-record.js'

export const R_RETURN = 2
export const R_PUBLISH = 3
export const R_WITHDRAW = 4
export const R_CONN_REQ = 5
export const R_CONN_ACCEPT = 6
export const R_CONN_REFUSE = 7
export const R_CONN_DATA = 8
export const R_CONN_CREDIT = 9
export const R_CONN_END = 10
export const R_CONN_ABORT = 11

export const RETURN_CODES_WIRE: readonly ReturnCode[] = ['NO_NAME', 'NO_PORT', 'NO_NODE', 'OVERLOAD', 'CONN_SHUTDOWN']

/** The return record's flags byte: it carries the name sent to (anycast, multicast). */
const RETURN_HAS_NAME = 1
/** ... and is delivered by that name on arrival, not to dstRef (a multicast copy refused on another node). */
const RETURN_BY_NAME = 2

export interface ReturnRecord {
  kind: typeof R_RETURN
  code: ReturnCode
  hasName: boolean
  /** Deliver to the sockets bound to the name on arrival (Delivery.homeByName); implies hasName. */
  byName: boolean
  /** The socket the message came from (where it goes back to); 0 when byName. */
  dstRef: number
  /** The socket it was meant for (or returned by). */
  fromRef: number
  type: number
  lower: number
  upper: number
  /** Length of the message as sent. */
  length: number
  /** At most RETURNED_DATA_LIMIT bytes. */
  data: Uint8Array
}

export interface NameRecord {
  kind: typeof R_PUBLISH | typeof R_WITHDRAW
  ref: number
  type: number
  lower: number
  upper: number
}

export interface ConnRecord {
  kind: typeof R_CONN_REQ | typeof R_CONN_ACCEPT | typeof R_CONN_REFUSE | typeof R_CONN_END | typeof R_CONN_ABORT
  /** The receiving end's ref (CONN_REQ: the listener). */
  dstRef: number
  /** The sending end's ref (CONN_REQ: the client). */
  srcRef: number
}

export interface ConnCreditRecord {
  kind: typeof R_CONN_CREDIT
  dstRef: number
  srcRef: number
  count: number
}

export interface ConnDataRecord {
  kind: typeof R_CONN_DATA
  dstRef: number
  srcRef: number
  data: Uint8Array
}

export type UdpRecord = DataRecord | ReturnRecord | NameRecord | ConnRecord | ConnCreditRecord | ConnDataRecord

export function encodeRecord(r: UdpRecord): Uint8Array {
  switch (r.kind) {
    case R_DATA:
      return encodeData(r)
    case R_RETURN:
      return new Writer(27 + r.data.byteLength).u8(r.kind).u8(RETURN_CODES_WIRE.indexOf(r.code)).u8(returnFlags(r))
        .u32(r.dstRef).u32(r.fromRef).u32(r.type).u32(r.lower).u32(r.upper).u32(r.length).bytes(r.data).finish()
    case R_PUBLISH:
    case R_WITHDRAW:
      return new Writer(17).u8(r.kind).u32(r.ref).u32(r.type).u32(r.lower).u32(r.upper).finish()
    case R_CONN_CREDIT:
      return new Writer(13).u8(r.kind).u32(r.dstRef).u32(r.srcRef).u32(r.count).finish()
    case R_CONN_DATA:
      return new Writer(9 + r.data.byteLength).u8(r.kind).u32(r.dstRef).u32(r.srcRef).bytes(r.data).finish()
    default:
      return new Writer(9).u8(r.kind).u32(r.dstRef).u32(r.srcRef).finish()
  }
}

function returnFlags(r: ReturnRecord): number {
  return (r.hasName ? RETURN_HAS_NAME : 0) | (r.byName ? RETURN_BY_NAME : 0)
}

function checkRange(type: number, lower: number, upper: number): void {
  if (lower > upper) throw new Malformed('range lower above upper')
  if (type < RESERVED_TYPES) throw new Malformed('reserved service type')
}

/**
 * Decode one record. The payload is a view of `bytes`, not a copy: a whole
 * record is a view of its datagram, which node:dgram allocates fresh for
 * every packet (as is a decrypted body), and a reassembled record has its
 * own buffer, so nothing ever writes over it while the application holds it.
 * The cost: a message held keeps its whole datagram (up to 64 KiB) alive.
 * Performance: this saved a copy of every payload (and a malloc) on receive.
 */
export function decodeRecord(bytes: Uint8Array): UdpRecord {
  if (bytes[0] === R_DATA) return decodeData(bytes)
  const r = new Reader(bytes)
  const kind = r.u8('record kind')
  switch (kind) {
    case R_RETURN: {
      const code = RETURN_CODES_WIRE[r.u8('code')]
      if (code === undefined) throw new Malformed('unknown return code')
      const flags = r.u8('return flags')
      if (flags !== 0 && flags !== RETURN_HAS_NAME && flags !== (RETURN_HAS_NAME | RETURN_BY_NAME)) throw new Malformed('bad return flags')
      const rec: ReturnRecord = {
        kind, code, hasName: flags !== 0, byName: (flags & RETURN_BY_NAME) !== 0, dstRef: r.u32(), fromRef: r.u32(), type: r.u32(), lower: r.u32(), upper: r.u32(),
        length: r.u32(), data: new Uint8Array(0),
      }
      if (rec.hasName) checkRange(rec.type, rec.lower, rec.upper)
      if (r.remaining > RETURNED_DATA_LIMIT || rec.length > MAX_MESSAGE_SIZE) throw new Malformed('returned data too long')
      rec.data = r.rest()
      return rec
    }
    case R_PUBLISH:
    case R_WITHDRAW: {
      const rec: NameRecord = { kind, ref: r.u32(), type: r.u32(), lower: r.u32(), upper: r.u32() }
      checkRange(rec.type, rec.lower, rec.upper)
      r.done('name record')
      return rec
    }
    case R_CONN_CREDIT: {
      const rec: ConnCreditRecord = { kind, dstRef: r.u32(), srcRef: r.u32(), count: r.u32() }
      r.done('credit')
      return rec
    }
    case R_CONN_DATA: {
      const rec: ConnDataRecord = { kind, dstRef: r.u32(), srcRef: r.u32(), data: new Uint8Array(0) }
      if (r.remaining > MAX_MESSAGE_SIZE) throw new Malformed(`data over ${MAX_MESSAGE_SIZE} bytes`)
      rec.data = r.rest()
      return rec
    }
    case R_CONN_REQ:
    case R_CONN_ACCEPT:
    case R_CONN_REFUSE:
    case R_CONN_END:
    case R_CONN_ABORT: {
      const rec: ConnRecord = { kind, dstRef: r.u32(), srcRef: r.u32() }
      r.done('connection record')
      return rec
    }
    default:
      throw new Malformed('unknown record kind')
  }
}
