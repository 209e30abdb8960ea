// The wire format, version 2. Every UDP payload starts with a 28-byte
// header; the type says what follows. All fields are big-endian.
//
//   0  u16 magic 0x5452 ('TR')    2  u8 version (2)    3  u8 type (1 beacon, 2 link)
//   4  u8 flags (bit 0: sealed)   5  3 bytes reserved (0)
//   8  u32 cluster id            12  u32 source node   16  u32 source session
//  20  u32 destination node      24  u32 destination session (0 in beacons)
//
// A sealed packet continues with a u64 counter, the ciphertext of the body
// and a 16-byte AEAD tag (crypto.ts); header and counter are authenticated.
//
// Link body (after the header, or decrypted):
//   u32 incarnation       the sender's incarnation of this link (never 0; a new one at every reset)
//   u32 peerIncarnation   the incarnation the sender believes ours is (0: not known yet)
//   u32 packet            this packet's number within the sender's incarnation (every
//                         transmission, data, resent or state, takes the next one)
//   u32 seq     this packet's sequence number (a state packet, without items, carries the next one)
//   u32 ack     the next sequence number expected from the peer (cumulative)
//   u32 sackHi, u32 sackLo   bit i (i = 0..63, lo first) set: ack+1+i was received out of order
//   u8  flags   bit 0: the sender wants a state packet back at once (probe);
//               bit 1: the sender is leaving (the link goes down at once)
//   u16 count   items that follow
//   items:      u8 kind (0 whole record, 1 first fragment, 2 middle, 3 last), u32 length,
//               [first fragment: u32 total length of the record], length bytes
//
// Beacon body: u16 capabilities (0).
//
// Version 1 had no incarnations and no packet number (link.ts says why they came).
import { MAX_MESSAGE_SIZE } from '../../transport-contract/limits.js'
import { Malformed, Reader, Writer } from './bytes.js'

export const MAGIC = 0x5452
export const VERSION = 2
export const HEADER_SIZE = 28
/** Where the header's packet type byte is. */
export const PACKET_TYPE_OFFSET = 3
export const PACKET_BEACON = 1
export const PACKET_LINK = 2
export const FLAG_SEALED = 1
export const LINK_FIXED_SIZE = 4 + 4 + 4 + 4 + 4 + 8 + 1 + 2
export const ITEM_OVERHEAD = 5
export const FIRST_FRAGMENT_OVERHEAD = 9
export const ITEM_WHOLE = 0
export const ITEM_FIRST = 1
export const ITEM_MIDDLE = 2
export const ITEM_LAST = 3
/** The largest encoded record: a message of MAX_MESSAGE_SIZE and its record header, with room to spare. */
export const MAX_RECORD_SIZE = MAX_MESSAGE_SIZE + 64
export const LINK_FLAG_PROBE = 1
/** The sender is closing: take the link down now rather than after the tolerance. */
export const LINK_FLAG_LEAVING = 2

/** Packets beyond the gap a state packet's selective-ack map describes (sackHi, sackLo). */
export const SACK_BITS = 64

/** Whether bit i (0..63) of a body's selective-ack map is set: packet ack+1+i arrived. */
export function sackBit(body: LinkBody, i: number): boolean {
  return i < 32 ? ((body.sackLo >>> i) & 1) === 1 : ((body.sackHi >>> (i - 32)) & 1) === 1
}

/** Sequence numbers are 32 bits on the wire and unbounded in a link: the one nearest `near`. */
export function unwrap(wire: number, near: number): number {
  return near + ((wire - (near % 0x100000000)) | 0)
}

export interface Header {
  type: number
  flags: number
  cluster: number
  srcNode: number
  srcSession: number
  dstNode: number
  dstSession: number
}

export interface Item {
  kind: number
  /** Total length of the record (first fragments only). */
  total: number
  bytes: Uint8Array
}

export interface LinkBody {
  /** The sender's incarnation of the link. */
  incarnation: number
  /** The incarnation the sender believes the receiver has (0: not known). */
  peerIncarnation: number
  /** The transmission's number within the sender's incarnation (32 bits, wraps). */
  packet: number
  seq: number
  ack: number
  sackHi: number
  sackLo: number
  flags: number
  items: Item[]
}

export function writeHeader(w: Writer, h: Header): void {
  w.u16(MAGIC).u8(VERSION).u8(h.type).u8(h.flags).u8(0).u16(0)
  w.u32(h.cluster).u32(h.srcNode).u32(h.srcSession).u32(h.dstNode).u32(h.dstSession)
}

/** Parse the fixed header. Throws Malformed (the caller counts it by reason). */
export function readHeader(r: Reader): Header {
  if (r.u16('magic') !== MAGIC) throw new Malformed('bad magic')
  if (r.u8('version') !== VERSION) throw new Malformed('unknown version')
  const type = r.u8('type')
  const flags = r.u8('flags')
  if (type !== PACKET_BEACON && type !== PACKET_LINK) throw new Malformed('unknown packet type')
  if ((flags & ~FLAG_SEALED) !== 0) throw new Malformed('unknown flags')
  r.u8('reserved')
  r.u16('reserved')
  return { type, flags, cluster: r.u32('cluster'), srcNode: r.u32('node'), srcSession: r.u32('session'), dstNode: r.u32('node'), dstSession: r.u32('session') }
}

export function itemSize(item: Item): number {
  return (item.kind === ITEM_FIRST ? FIRST_FRAGMENT_OVERHEAD : ITEM_OVERHEAD) + item.bytes.byteLength
}

export function linkBodySize(items: readonly Item[]): number {
  let n = LINK_FIXED_SIZE
  for (const it of items) n += itemSize(it)
  return n
}

export function writeLinkBody(w: Writer, b: LinkBody): void {
  w.u32(b.incarnation).u32(b.peerIncarnation).u32(b.packet).u32(b.seq).u32(b.ack).u32(b.sackHi).u32(b.sackLo).u8(b.flags).u16(b.items.length)
  for (const it of b.items) {
    w.u8(it.kind).u32(it.bytes.byteLength)
    if (it.kind === ITEM_FIRST) w.u32(it.total)
    w.bytes(it.bytes)
  }
}

/** Parse a link body, checking every count and length against what is there. */
export function readLinkBody(r: Reader): LinkBody {
  const incarnation = r.u32('incarnation')
  if (incarnation === 0) throw new Malformed('zero incarnation')
  const peerIncarnation = r.u32('incarnation')
  const packet = r.u32('packet number')
  const seq = r.u32('seq')
  const ack = r.u32('ack')
  const sackHi = r.u32('sack')
  const sackLo = r.u32('sack')
  const flags = r.u8('flags')
  if ((flags & ~(LINK_FLAG_PROBE | LINK_FLAG_LEAVING)) !== 0) throw new Malformed('unknown link flags')
  const count = r.u16('item count')
  if (count * ITEM_OVERHEAD > r.remaining) throw new Malformed('item count exceeds packet')
  const items: Item[] = []
  for (let i = 0; i < count; i++) {
    const kind = r.u8('item kind')
    if (kind > ITEM_LAST) throw new Malformed('unknown item kind')
    const length = r.u32('item length')
    let total = length
    if (kind === ITEM_FIRST) {
      total = r.u32('fragment total')
      if (total > MAX_RECORD_SIZE || length >= total) throw new Malformed('bad fragment total')
    } else if (length > MAX_RECORD_SIZE) {
      throw new Malformed('item too long')
    }
    if (length === 0) throw new Malformed('empty item')
    items.push({ kind, total, bytes: r.bytesView(length, 'item') })
  }
  r.done('link body')
  return { incarnation, peerIncarnation, packet, seq, ack, sackHi, sackLo, flags, items }
}

export function encodeBeaconBody(): Buffer {
  return new Writer(2).u16(0).finish()
}

export function readBeaconBody(r: Reader): void {
  r.u16('capabilities')
  r.done('beacon')
}
