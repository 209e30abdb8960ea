// What the two nodes of rdm-peer-pause.ts say to each other. Every message
// starts with a u32 kind and a u32 round; little-endian throughout.
//   DATA    node 1 -> 2   kind, round, seq, then a pattern to SIZE bytes
//   END     node 1 -> 2   kind, round, count: round over, report please
//   REPORT  node 2 -> 1   kind, round, the receiver's view of the round
//   FINISH  node 1 -> 2   kind, 0: no more rounds, exit
// A returned DATA message brings back its first 1024 bytes, so the sender
// learns the round and seq of every message the kernel hands back.

export const DATA = 1
export const END = 2
export const REPORT = 3
export const FINISH = 4

/** Over the 1500-byte MTU: every DATA message is two fragments on the link. */
export const DATA_SIZE = 3000

export function kindOf(b: Uint8Array): number {
  return b.byteLength >= 8 ? view(b).getUint32(0, true) : 0
}

export function roundOf(b: Uint8Array): number {
  return view(b).getUint32(4, true)
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength)
}

const fill = (round: number, seq: number, i: number) => (round * 31 + seq + i) & 0xff

export function encodeData(round: number, seq: number): Uint8Array {
  const b = new Uint8Array(DATA_SIZE)
  const v = view(b)
  v.setUint32(0, DATA, true)
  v.setUint32(4, round, true)
  v.setUint32(8, seq, true)
  for (let i = 12; i < DATA_SIZE; i++) b[i] = fill(round, seq, i)
  return b
}

/** The seq of a DATA message, or of the first bytes of one (a returned message). */
export function seqOf(b: Uint8Array): number {
  return view(b).getUint32(8, true)
}

/** True when a received DATA message has the size and bytes it was sent with. */
export function dataIntact(b: Uint8Array): boolean {
  if (b.byteLength !== DATA_SIZE) return false
  const round = roundOf(b)
  const seq = seqOf(b)
  for (let i = 12; i < DATA_SIZE; i++) if (b[i] !== fill(round, seq, i)) return false
  return true
}

export function encodeEnd(round: number, count: number): Uint8Array {
  const b = new Uint8Array(12)
  const v = view(b)
  v.setUint32(0, END, true)
  v.setUint32(4, round, true)
  v.setUint32(8, count, true)
  return b
}

export function encodeFinish(): Uint8Array {
  const b = new Uint8Array(8)
  view(b).setUint32(0, FINISH, true)
  return b
}

/** The receiver's view of one round. Times are node 2's wall clock, ms (0: never). */
export interface RoundReport {
  round: number
  /** Distinct DATA messages received. */
  received: number
  /** DATA messages received again (same seq twice). */
  duplicates: number
  /** DATA messages whose seq was lower than one received before. */
  outOfOrder: number
  /** DATA messages with wrong size or bytes. */
  corrupt: number
  /** Seqs missing below the highest seq received, when the report was made. */
  gaps: number
  /** Node 1 went down / up, as node 2's topology service reported it. */
  peerDown: number
  peerUp: number
  /** When node 2 first saw node 1 down, and last saw it up, in this round. */
  peerDownAt: number
  peerUpAt: number
  /** Per seq, when it first arrived (node 2's wall clock, ms; 0: never). */
  arrivedAt: Float64Array
}

const REPORT_COUNTS = ['received', 'duplicates', 'outOfOrder', 'corrupt', 'gaps', 'peerDown', 'peerUp'] as const
const REPORT_HEADER = 8 + REPORT_COUNTS.length * 4 + 2 * 8

/** The most DATA messages a round may have: one REPORT carries a time per message. */
export const MAX_ROUND = Math.floor((66000 - REPORT_HEADER) / 8)

export function encodeReport(r: RoundReport): Uint8Array {
  const b = new Uint8Array(REPORT_HEADER + r.arrivedAt.byteLength)
  const v = view(b)
  v.setUint32(0, REPORT, true)
  v.setUint32(4, r.round, true)
  REPORT_COUNTS.forEach((k, i) => v.setUint32(8 + i * 4, r[k], true))
  v.setFloat64(REPORT_HEADER - 16, r.peerDownAt, true)
  v.setFloat64(REPORT_HEADER - 8, r.peerUpAt, true)
  b.set(new Uint8Array(r.arrivedAt.buffer, r.arrivedAt.byteOffset, r.arrivedAt.byteLength), REPORT_HEADER)
  return b
}

export function decodeReport(b: Uint8Array): RoundReport {
  const v = view(b)
  const counts = Object.fromEntries(REPORT_COUNTS.map((k, i) => [k, v.getUint32(8 + i * 4, true)]))
  return {
    round: v.getUint32(4, true),
    ...(counts as Record<(typeof REPORT_COUNTS)[number], number>),
    peerDownAt: v.getFloat64(REPORT_HEADER - 16, true),
    peerUpAt: v.getFloat64(REPORT_HEADER - 8, true),
    // slice(): a copy at offset 0 of its own buffer, so 8-byte aligned.
    arrivedAt: new Float64Array(b.slice(REPORT_HEADER).buffer),
  }
}
