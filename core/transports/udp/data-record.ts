// The data record's codec, written out by hand: it is the one record on the
// hot path (one per message each way). Same bytes as the general codec in
// records.ts: u8 kind, u8 mode, u32 srcRef, u32 dstRef, u32 type, u32 lower,
// u32 upper, then the payload to the end.
//
// Performance: the general codec's Writer (an object and a method call per
// field) and Reader (a DataView per record) were 24% of the receiver's CPU
// and 8% of the sender's at 64 B messages in a --cpu-prof of the throughput
// benchmark. Fields are read with shifts from the Uint8Array, and the
// payload is a view (see decodeRecord in records.ts for why that is safe).
import { RESERVED_TYPES } from '../../transport-contract/address.js'
import { MAX_MESSAGE_SIZE } from '../../transport-contract/limits.js'
import { MODE_MULTICAST, MODE_UNICAST, type Mode, type RdmData } from '../shared/rdm-data.js'
import { Malformed } from './bytes.js'
import type { RecordPool } from './record-pool.js'

/** The data record's kind byte (records.ts lists the others). */
export const R_DATA = 1
export const DATA_HEADER_SIZE = 22

/** An RDM message (shared/rdm-data.ts) as a record; decodeData builds it with one fixed shape. */
export interface DataRecord extends RdmData {
  kind: typeof R_DATA
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0
}

function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24
  b[o + 1] = v >>> 16
  b[o + 2] = v >>> 8
  b[o + 3] = v
}

/**
 * The record of an RDM message (its `kind`, if any, is not read: the byte is
 * R_DATA). With `pool`, a large record is carved from the pool's memory and
 * `pool.lease` says what its holders must hold it by (record-pool.ts).
 */
export function encodeData(r: RdmData, pool?: RecordPool): Uint8Array {
  const size = DATA_HEADER_SIZE + r.data.byteLength
  const out = pool ? pool.take(size) : Buffer.allocUnsafe(size)
  out[0] = R_DATA
  out[1] = r.mode
  put32(out, 2, r.srcRef)
  put32(out, 6, r.dstRef)
  put32(out, 10, r.type)
  put32(out, 14, r.lower)
  put32(out, 18, r.upper)
  out.set(r.data, DATA_HEADER_SIZE)
  return out
}

/** Decode a record whose kind byte is R_DATA. Throws Malformed as records.ts does. */
export function decodeData(b: Uint8Array): DataRecord {
  if (b.byteLength < DATA_HEADER_SIZE) throw new Malformed(b.byteLength < 2 ? 'truncated mode' : 'truncated u32')
  const mode = b[1]!
  if (mode > MODE_MULTICAST) throw new Malformed('unknown mode')
  const rec: DataRecord = {
    kind: R_DATA, mode: mode as Mode, srcRef: u32(b, 2), dstRef: u32(b, 6), type: u32(b, 10), lower: u32(b, 14), upper: u32(b, 18),
    data: b.subarray(DATA_HEADER_SIZE),
  }
  if (mode !== MODE_UNICAST) {
    if (rec.lower > rec.upper) throw new Malformed('range lower above upper')
    if (rec.type < RESERVED_TYPES) throw new Malformed('reserved service type')
  }
  if (rec.data.byteLength > MAX_MESSAGE_SIZE) throw new Malformed(`data over ${MAX_MESSAGE_SIZE} bytes`)
  return rec
}
