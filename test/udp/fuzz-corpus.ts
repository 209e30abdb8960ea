// The fuzz corpus: well-formed packets of every kind addressed to a node,
// and the mutations that make them bad (bit flips, truncation, extreme
// length fields, garbage, noise). Shared by the fuzz tests that feed the
// packet handler directly and through the native socket.
import type { SeededRandom } from '../../core/transports/shared/prng.js'
import { Writer } from '../../core/transports/udp/bytes.js'
import {
  HEADER_SIZE, ITEM_FIRST, ITEM_LAST, ITEM_WHOLE, PACKET_BEACON, PACKET_LINK, encodeBeaconBody, linkBodySize, writeHeader, writeLinkBody,
  type Item,
} from '../../core/transports/udp/packet.js'
import {
  MODE_ANYCAST, MODE_MULTICAST, MODE_UNICAST, R_CONN_DATA, R_CONN_REQ, R_DATA, R_PUBLISH, R_RETURN, R_WITHDRAW, encodeRecord,
} from '../../core/transports/udp/records.js'

export const CLUSTER = 0x5eed

function packet(type: number, src: number, srcSession: number, dst: number, dstSession: number, body: Uint8Array): Buffer {
  const w = new Writer(HEADER_SIZE)
  writeHeader(w, { type, flags: 0, cluster: CLUSTER, srcNode: src, srcSession, dstNode: dst, dstSession })
  return Buffer.concat([w.finish(), body])
}

/**
 * The peer's incarnation 1, addressed to the node's incarnation 1 (a node's
 * first link gets 1: peers.ts), so the corpus reaches the link's records;
 * the packet number is the sequence number.
 */
function link(seq: number, ack: number, items: Item[]): Buffer {
  const w = new Writer(linkBodySize(items))
  writeLinkBody(w, { incarnation: 1, peerIncarnation: 1, packet: seq, seq, ack, sackHi: 0, sackLo: 0, flags: 0, items })
  return w.finish()
}

/** Well-formed packets of every kind, addressed to the node under test. */
export function corpus(node: number, session: number): Buffer[] {
  const peer = 0xabc
  const ps = 77
  const whole = (r: Uint8Array): Item => ({ kind: ITEM_WHOLE, total: r.byteLength, bytes: r })
  const big = encodeRecord({ kind: R_DATA, mode: MODE_UNICAST, srcRef: 1, dstRef: 2, type: 0, lower: 0, upper: 0, data: Buffer.alloc(3000, 3) })
  return [
    packet(PACKET_BEACON, peer, ps, 0, 0, encodeBeaconBody()),
    packet(PACKET_LINK, peer, ps, node, session, link(1, 1, [])),
    packet(PACKET_LINK, peer, ps, node, session, link(1, 1, [
      whole(encodeRecord({ kind: R_PUBLISH, ref: 5, type: 100, lower: 0, upper: 10 })),
      whole(encodeRecord({ kind: R_DATA, mode: MODE_ANYCAST, srcRef: 1, dstRef: 5, type: 100, lower: 3, upper: 3, data: Buffer.from('hi') })),
      whole(encodeRecord({ kind: R_DATA, mode: MODE_MULTICAST, srcRef: 1, dstRef: 0, type: 100, lower: 0, upper: 50, data: Buffer.from('all') })),
    ])),
    packet(PACKET_LINK, peer, ps, node, session, link(2, 1, [
      { kind: ITEM_FIRST, total: big.byteLength, bytes: big.subarray(0, 1000) },
      { kind: ITEM_LAST, total: 0, bytes: big.subarray(1000) },
    ])),
    packet(PACKET_LINK, peer, ps, node, session, link(3, 1, [
      whole(encodeRecord({ kind: R_RETURN, code: 'NO_PORT', hasName: true, byName: false, dstRef: 9, fromRef: 5, type: 100, lower: 1, upper: 1, length: 2, data: Buffer.from('hi') })),
      whole(encodeRecord({ kind: R_CONN_REQ, dstRef: 7, srcRef: 8 })),
      whole(encodeRecord({ kind: R_CONN_DATA, dstRef: 7, srcRef: 8, data: Buffer.from('c') })),
      whole(encodeRecord({ kind: R_WITHDRAW, ref: 5, type: 100, lower: 0, upper: 10 })),
    ])),
  ]
}

export function mutate(random: SeededRandom, seed: Buffer): Buffer {
  const b = Buffer.from(seed)
  switch (random.int(0, 5)) {
    case 0: // bit flips
      for (let i = random.int(1, 4); i > 0; i--) b[random.int(0, b.length - 1)]! ^= 1 << random.int(0, 7)
      return b
    case 1: // truncation
      return b.subarray(0, random.int(0, b.length - 1))
    case 2: { // a length, count or offset field overwritten with an extreme value
      const at = random.int(HEADER_SIZE, Math.max(HEADER_SIZE, b.length - 4))
      if (at + 4 <= b.length) b.writeUInt32BE([0, 1, 0xffff, 0xffffffff, random.int(0, 0xffffffff)][random.int(0, 4)]!, at)
      return b
    }
    case 3: // extension with garbage
      return Buffer.concat([b, Buffer.from(Array.from({ length: random.int(1, 64) }, () => random.int(0, 255)))])
    case 4: // a random byte overwritten anywhere
      b[random.int(0, b.length - 1)] = random.int(0, 255)
      return b
    default: // pure noise
      return Buffer.from(Array.from({ length: random.int(0, 200) }, () => random.int(0, 255)))
  }
}
