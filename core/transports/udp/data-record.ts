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
import { Malformed } from './bytes.js'

export const DATA_HEADER_SIZE = 22
const R_DATA = 1
const MODE_MULTICAST = 2

/** The data record as records.ts declares it (DataRecord), built with one fixed shape. */
export interface DataFields {
  kind: typeof R_DATA
  mode: 0 | 1 | 2
  srcRef: number
  dstRef: number
  type: number
  lower: number
  upper: number
  data: Uint8Array
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

export function encodeData(r: DataFields): Buffer {
  const out = Buffer.allocUnsafe(DATA_HEADER_SIZE + r.data.byteLength)
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
export function decodeData(b: Uint8Array): DataFields {
  if (b.byteLength < DATA_HEADER_SIZE) throw new Malformed(b.byteLength < 2 ? 'truncated mode' : 'truncated u32')
  const mode = b[1]!
  if (mode > MODE_MULTICAST) throw new Malformed('unknown mode')
  const rec: DataFields = {
    kind: R_DATA, mode: mode as 0 | 1 | 2, srcRef: u32(b, 2), dstRef: u32(b, 6), type: u32(b, 10), lower: u32(b, 14), upper: u32(b, 18),
    data: b.subarray(DATA_HEADER_SIZE),
  }
  if (mode !== 0) {
    if (rec.lower > rec.upper) throw new Malformed('range lower above upper')
    if (rec.type < 64) throw new Malformed('reserved service type')
  }
  if (rec.data.byteLength > 66000) throw new Malformed('data over 66000 bytes')
  return rec
}
