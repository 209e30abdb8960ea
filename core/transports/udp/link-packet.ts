// One outgoing link packet, written once. The header (28 bytes, the same for
// every packet to a peer: see LinkHeader) and the link body go into a single
// buffer, and items of at least GATHER_MIN bytes are not copied at all: the
// packet is handed to socket.send() as a list of buffers (sendmsg's iovec),
// the small parts in one buffer and each large item as its own entry.
//
// Performance: before this, a packet cost a Writer for the body (one copy of
// every item), a Writer for the header and a Buffer.concat (a second copy of
// everything). At 60 KiB messages each copy is ~60 µs/MB of CPU on the single
// JS thread; at 64 B messages the allocations and the concat dominated.
//
// The buffer is fresh per packet, never pooled: socket.send() may complete
// later (the kernel buffer was full, or faults.ts delays the packet), and
// retransmission resends the items, not this buffer.
import {
  FIRST_FRAGMENT_OVERHEAD, HEADER_SIZE, ITEM_FIRST, ITEM_OVERHEAD, LINK_FIXED_SIZE, MAGIC, PACKET_LINK, VERSION, type Item, type LinkBody,
} from './packet.js'

/** Items this large go to the kernel as their own buffer (no copy); smaller ones are copied next to their item header. */
export const GATHER_MIN = 1024

/** The fixed header of every link packet to one peer, built once per link. */
export function linkHeader(flags: number, cluster: number, srcNode: number, srcSession: number, dstNode: number, dstSession: number): Buffer {
  const h = Buffer.alloc(HEADER_SIZE)
  h.writeUInt16BE(MAGIC, 0)
  h.writeUInt8(VERSION, 2)
  h.writeUInt8(PACKET_LINK, 3)
  h.writeUInt8(flags, 4)
  h.writeUInt32BE(cluster >>> 0, 8)
  h.writeUInt32BE(srcNode >>> 0, 12)
  h.writeUInt32BE(srcSession >>> 0, 16)
  h.writeUInt32BE(dstNode >>> 0, 20)
  h.writeUInt32BE(dstSession >>> 0, 24)
  return h
}

/**
 * The packet as buffers to send in order: `prefix` (the header, or nothing
 * when the caller seals the body itself) then the body. With `gather` false
 * the result is always one buffer (sealing needs the body contiguous).
 * A single Buffer is returned as such: dgram wraps every entry of a list in
 * a new Buffer, so a list is only worth it when it saves a copy.
 */
export function linkPacket(prefix: Uint8Array, b: LinkBody, gather: boolean): Buffer | Uint8Array[] {
  const items = b.items
  const n = items.length
  let copied = prefix.byteLength + LINK_FIXED_SIZE
  let large = 0
  for (let i = 0; i < n; i++) {
    const it = items[i]!
    const len = it.bytes.byteLength
    copied += it.kind === ITEM_FIRST ? FIRST_FRAGMENT_OVERHEAD : ITEM_OVERHEAD
    if (gather && len >= GATHER_MIN) large++
    else copied += len
  }
  const buf = Buffer.allocUnsafe(copied)
  buf.set(prefix, 0)
  let o = prefix.byteLength
  buf.writeUInt32BE(b.incarnation >>> 0, o)
  buf.writeUInt32BE(b.peerIncarnation >>> 0, o + 4)
  buf.writeUInt32BE(b.packet >>> 0, o + 8)
  buf.writeUInt32BE(b.seq >>> 0, o + 12)
  buf.writeUInt32BE(b.ack >>> 0, o + 16)
  buf.writeUInt32BE(b.sackHi >>> 0, o + 20)
  buf.writeUInt32BE(b.sackLo >>> 0, o + 24)
  buf[o + 28] = b.flags
  buf.writeUInt16BE(n, o + 29)
  o += LINK_FIXED_SIZE
  if (large === 0) {
    for (let i = 0; i < n; i++) o = writeItem(buf, o, items[i]!, true)
    return buf
  }
  const out: Uint8Array[] = []
  let start = 0
  for (let i = 0; i < n; i++) {
    const it = items[i]!
    const inline = it.bytes.byteLength < GATHER_MIN
    o = writeItem(buf, o, it, inline)
    if (inline) continue
    out.push(buf.subarray(start, o), it.bytes)
    start = o
  }
  if (start < o) out.push(buf.subarray(start, o))
  return out
}

function writeItem(buf: Buffer, o: number, it: Item, inline: boolean): number {
  const len = it.bytes.byteLength
  buf[o] = it.kind
  buf.writeUInt32BE(len, o + 1)
  o += 5
  if (it.kind === ITEM_FIRST) {
    buf.writeUInt32BE(it.total, o)
    o += 4
  }
  if (!inline) return o
  buf.set(it.bytes, o)
  return o + len
}
